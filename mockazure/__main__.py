import sys

from mockazure.cli import main

sys.exit(main())
