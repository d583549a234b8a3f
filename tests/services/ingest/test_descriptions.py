from services.ingest.descriptions import MARK, attach_descriptions
from shared.units import EvidencePack, SourceMeta, Unit


def pack_with(units: list[Unit], sources: list[SourceMeta]) -> EvidencePack:
    return EvidencePack(task_id="t", units=units, sources=sources)


def test_description_is_appended_to_the_first_unit_of_the_file_and_marked():
    frames = [Unit(source="v.mp4", kind="frame", index=n, text=f"slide {n}", method="ocr") for n in (1, 2)]
    pack = pack_with(frames, [SourceMeta(source="v.mp4", kind="mp4", units=2)])
    attach_descriptions(pack, [{"name": "v.mp4", "type": "video", "description": "A talk on planning."}])
    assert pack.units[0].text == f"slide 1\n\n{MARK}: A talk on planning."
    assert pack.units[0].method == "ocr+user-description"
    assert pack.units[1].text == "slide 2"


def test_file_matched_by_base_name_ignoring_case():
    pack = pack_with([Unit(source="media/Flower.JPG", kind="image", index=1, text="", method="ocr")],
                     [SourceMeta(source="media/Flower.JPG", kind="jpg", units=1)])
    attach_descriptions(pack, [{"name": "flower.jpg", "type": "image", "description": "水墨画"}])
    assert pack.units[0].text.endswith(f"{MARK}: 水墨画")


def test_file_without_units_gets_a_unit_of_the_description_alone():
    meta = SourceMeta(source="花.jpg", kind="jpg", error="install redline[video] to read images")
    pack = pack_with([], [meta])
    attach_descriptions(pack, [{"name": "花.jpg", "type": "image", "description": "水墨画"}])
    assert [(u.source, u.kind, u.index, u.text, u.method) for u in pack.units] == [
        ("花.jpg", "image", 1, f"{MARK}: 水墨画", "user-description")
    ]
    assert meta.units == 1


def test_description_of_a_missing_file_is_listed_as_skipped():
    pack = pack_with([], [])
    attach_descriptions(pack, [{"name": "gone.mp4", "type": "video", "description": "x"}, {"name": "blank.jpg"}])
    assert pack.skipped == ["gone.mp4: described in the request, but no such file was uploaded"]
    assert pack.units == []
