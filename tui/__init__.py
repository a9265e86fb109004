"""dossier's user interfaces: the command line and the Textual reader. Imports index; nothing imports tui."""
