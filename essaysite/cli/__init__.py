"""The project's commands: ``essays-check`` (``make check``) and ``essays-new`` (``make post``)."""
