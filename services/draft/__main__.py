"""python -m services.draft"""

from services.draft import app
from services.draft.settings import Settings
from shared.service import main

main(app, Settings)
