// The console's script (the shell helper's).
