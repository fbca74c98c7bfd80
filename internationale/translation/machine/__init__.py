"""Machine translation on the server: backends (backends.py), the engine that cuts Markdown into
sentences, keeps its structure and caches every sentence (engine.py)."""
