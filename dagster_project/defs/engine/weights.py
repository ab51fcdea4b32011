from dagster_project.engine.weights import indicator_weights

__all__ = ["indicator_weights"]
