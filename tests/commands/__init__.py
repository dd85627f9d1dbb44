"""A package, so that pytest imports its test modules by their folder's name: tests/report/
test_common.py and tests/commands/test_common.py mirror two modules named common.py."""
