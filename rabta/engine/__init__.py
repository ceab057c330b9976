"""Pure-Python engines: profiling maths, text embedding, skill linking, pathway scoring and
assignment.  Nothing under this package imports Django; services adapt the data in and out.
tests/test_architecture.py enforces that boundary."""
