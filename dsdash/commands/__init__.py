"""Command-line subcommands, one module each; ``dsdash.__main__.COMMANDS`` lists them in order.
Each defines ``register(subparsers)``, which adds its subparser and sets ``func`` (taking the
parsed args, returning an exit code). :mod:`dsdash.commands.args` holds what they share."""
