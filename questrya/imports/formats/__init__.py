"""The file formats games are imported from, one module each."""
