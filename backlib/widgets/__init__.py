"""ipywidgets front-ends: they wire controls to backlib's functions and show the results."""
