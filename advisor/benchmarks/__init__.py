"""Benchmarks run on this machine: random-weight GGUF models (real llama architecture) and
CPU speed profiles measured with llama-cpp-python. Needs the `measure` and `test` extras."""
