"""Synthetic demo inputs (合成演示数据): stand-ins for the raw statistics until real files are dropped in."""
