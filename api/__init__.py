"""The thin outer layer: the Typer CLI now, the FastAPI app next. No logic of its own."""
