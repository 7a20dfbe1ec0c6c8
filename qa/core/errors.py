"""Every error a user can see derives from QAError; the CLI and UI catch only QAError and show its message.

QAError
├── ConfigError          a setting or backend name is wrong, or an optional package is missing
├── IndexStateError     the index is missing, was built by another embedder, or is damaged
├── InputError           a file or argument cannot be used (unreadable, unsupported, outside the corpus)
└── BackendError         a remote service (embeddings, LLM, Chroma server) failed
"""

__all__ = ["QAError", "ConfigError", "IndexStateError", "InputError", "BackendError"]


class QAError(Exception):
    """Base class: its message is written for the person using the tool."""


class ConfigError(QAError):
    pass


class IndexStateError(QAError):
    pass


class InputError(QAError):
    pass


class BackendError(QAError):
    pass
