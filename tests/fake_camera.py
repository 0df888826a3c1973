"""A Y4M video file showing a QR code, for Chromium's fake camera (--use-file-for-fake-video-capture)."""
import segno

W, H = 640, 480


def qr_y4m(path: str, text: str, frames: int = 10) -> str:
    """Write a short 4:2:0 video of ``text`` as a QR code (black on white, centred) and return the path."""
    qr = segno.make(text, error="m")
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix) + 8  # quiet zone of 4 modules each side
    scale = min(W, H) * 8 // 10 // n
    size = n * scale
    left, top = (W - size) // 2, (H - size) // 2
    y_plane = bytearray([235]) * (W * H)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + (r + 4) * scale + dy) * W + left + (c + 4) * scale
                    y_plane[start:start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * ((W // 2) * (H // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n")
            f.write(y_plane)
            f.write(chroma)
            f.write(chroma)
    return path
