"""The admin command groups of `allora`, each acting through the use cases as a named account."""
