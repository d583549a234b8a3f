"""python -m services.compare"""

from services.compare import app
from services.compare.settings import Settings
from shared.service import main

main(app, Settings)
