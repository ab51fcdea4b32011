"""Synthetic demo inputs (合成演示数据): stand-ins for the raw statistics until real files are dropped in.

What is drawn from them says so, in one of two words, for two different things: a list computed from the
demo panel is not a real ranking (the 数据说明 column of the exported lists, exports.py); a figure of
statistics computed from it is not real statistics (its title, figures.py).
"""

SYNTHETIC_LIST_NOTE = "合成演示数据，非真实榜单 (synthetic demo data, not a real ranking)"
SYNTHETIC_STATISTICS_NOTE = "合成演示数据，非真实统计"
