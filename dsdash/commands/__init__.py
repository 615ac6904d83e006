"""Command-line subcommands. Each module here defines ``register(subparsers)``, which adds
its subparser and sets ``func`` (taking the parsed args, returning an exit code).
``python -m dsdash`` discovers them; adding a command touches no other file."""
