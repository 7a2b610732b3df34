"""Timeline Explorer: a keyboard-driven terminal explorer of event chronologies."""

__version__ = "0.1.0"
