"""A model's facts read from what describes it: a Hugging Face `config.json` (`hf_config`), a
GGUF file's metadata (`gguf_file`), the server that runs it (`endpoint`), or the Hub (`hub`).
Each reader returns `ModelFacts`: every fact with where it came from."""
