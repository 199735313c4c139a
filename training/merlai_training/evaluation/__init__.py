"""Merlai's own arranger measures (issues 17 and 18), beside the shared harness in ../shared/eval:
a two-bar classifier (system vs human), repeat similarity, the outro, per-bar dynamics and drum features."""
