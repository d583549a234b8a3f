"""python -m services.validate"""

from services.validate import app
from services.validate.settings import Settings
from shared.service import main

main(app, Settings)
