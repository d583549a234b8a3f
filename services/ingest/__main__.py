"""python -m services.ingest"""

from services.ingest import app
from services.ingest.settings import Settings
from shared.service import main

main(app, Settings)
