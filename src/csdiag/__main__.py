"""`python -m csdiag`, the same as the `csdiag` command."""

from csdiag.entry import main

main()
