"""Pictures, slideshow videos and sound made on the fly for the video, image and audio tests."""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
import subprocess
import threading
from dataclasses import dataclass
from fractions import Fraction

ASS_HEADER = (
    b"[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    b"Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
    b"Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    b"MarginL, MarginR, MarginV, Encoding\n"
    b"Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\n\n"
    b"[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)
"""The header a text subtitle encoder needs before it opens (any valid ASS header will do)."""


@dataclass(frozen=True)
class Slide:
    """One slide of a generated slideshow: its lines of text, shown for ``seconds``."""

    lines: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class Caption:
    """One subtitle of a generated video: ``text`` shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str


def cjk_font_path() -> str | None:
    """A font file on this machine that draws Chinese, from fontconfig; None when there is none."""
    if not shutil.which("fc-list"):
        return None
    listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
    files = sorted(line.split(":")[0].strip() for line in listing.splitlines() if line.strip())
    return files[0] if files else None


def text_image(lines: tuple[str, ...] | list[str], size: tuple[int, int] = (1280, 720), font_path: str | None = None):
    """A white picture of ``size`` with ``lines`` drawn in black, one under another, from the top left."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    font_size = max(12, height // 15)
    font = ImageFont.truetype(font_path, font_size) if font_path else ImageFont.load_default(font_size)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((width // 16, height // 10 + number * font_size * 2), line, fill="black", font=font)
    return image


def png_bytes(image) -> bytes:
    """``image`` encoded as PNG."""
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def slideshow(
    slides: list[Slide],
    captions: list[Caption] = (),
    size: tuple[int, int] = (640, 360),
    fps: int = 10,
    font_path: str | None = None,
    sound: bytes | None = None,
) -> bytes:
    """An H.264 MP4 showing ``slides`` one after another, with ``captions`` as an embedded mov_text
    subtitle stream when there are any and ``sound`` (a WAV file) as an AAC sound track when given."""
    import av
    import numpy as np

    out_buffer = io.BytesIO()
    with av.open(out_buffer, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        if sound:
            add_sound(container, sound)
        subtitle = None
        if captions:
            subtitle = container.add_stream("mov_text")
            subtitle.time_base = Fraction(1, 1000)
            subtitle.codec_context.subtitle_header = ASS_HEADER
        frame_number = 0
        for slide in slides:
            pixels = np.asarray(text_image(slide.lines, size, font_path))
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p")
            for _ in range(round(slide.seconds * fps)):
                frame.pts = frame_number
                frame_number += 1
                container.mux(video.encode(frame))
        for caption in captions:
            container.mux(caption_packet(caption, subtitle))
        container.mux(video.encode())
    return out_buffer.getvalue()


def add_sound(container, wav: bytes) -> None:
    """Encode the WAV file ``wav`` into ``container`` as a mono AAC stream."""
    import av

    with av.open(io.BytesIO(wav)) as source:
        rate = source.streams.audio[0].rate
        stream = container.add_stream("aac", rate=rate, layout="mono")
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=rate)
        for frame in source.decode(audio=0):
            for converted in resampler.resample(frame):
                container.mux(stream.encode(converted))
        for converted in resampler.resample(None):
            container.mux(stream.encode(converted))
        container.mux(stream.encode(None))


def caption_packet(caption: Caption, stream):
    """A mov_text packet (two-byte length, then UTF-8 text) for ``caption`` on ``stream``."""
    import av

    raw = caption.text.encode()
    packet = av.Packet(len(raw).to_bytes(2, "big") + raw)
    packet.stream = stream
    packet.time_base = stream.time_base
    packet.pts = packet.dts = round(caption.start * 1000)
    packet.duration = round((caption.end - caption.start) * 1000)
    return packet


def tone_wav(seconds: float, rate: int = 16000) -> bytes:
    """A mono 16-bit WAV of a 440 Hz tone lasting ``seconds``."""
    import wave

    samples = bytearray()
    for i in range(int(seconds * rate)):
        samples += int(8000 * math.sin(2 * math.pi * 440 * i / rate)).to_bytes(2, "little", signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(bytes(samples))
    return out.getvalue()


@contextlib.contextmanager
def scripted_endpoint(replies: dict[str, dict]):
    """A local HTTP server answering each POST to a path in ``replies`` with that JSON; yields its
    base URL (ending in ``/v1``) and the list of paths it has been asked."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            asked.append(self.path)
            body = json.dumps(replies.get(self.path, {"error": {"message": "unknown path"}})).encode()
            self.send_response(200 if self.path in replies else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", asked
    finally:
        server.shutdown()
        server.server_close()


def spoken_wav(text: str, voice: str = "en", words_per_minute: int = 150) -> bytes:
    """``text`` spoken by espeak-ng with ``voice``, as a WAV file (espeak-ng must be installed)."""
    return subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout", text], capture_output=True, check=True
    ).stdout


def spoken_track(lines: list[str], voice: str = "en", words_per_minute: int = 150, pause: float = 0.6) -> tuple[bytes, list[float]]:
    """``lines`` spoken one after another by espeak-ng with ``pause`` seconds of silence after each,
    as one WAV file, and how long each line lasts with its pause (seconds)."""
    import wave

    frames, lengths, params = bytearray(), [], None
    for line in lines:
        with wave.open(io.BytesIO(spoken_wav(line, voice, words_per_minute))) as part:
            params = part.getparams()
            said = part.readframes(part.getnframes())
        silence = bytes(params.sampwidth * params.nchannels * round(pause * params.framerate))
        frames += said + silence
        lengths.append((len(said) + len(silence)) / (params.sampwidth * params.nchannels * params.framerate))
    out = io.BytesIO()
    with wave.open(out, "wb") as track:
        track.setparams(params)
        track.writeframes(bytes(frames))
    return out.getvalue(), lengths
