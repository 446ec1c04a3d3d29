#!/usr/bin/python3
"""Rebuilds the test photos from Debian's packages; see SOURCES.md.

Needs: python3-skimage, python-matplotlib-data, python3-pil, libimage-exiftool-perl, libheif-examples.
Run from this directory: /usr/bin/python3 make_photos.py
"""
import shutil
import struct
import subprocess
import zlib

from PIL import Image

SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data/'
GRACE = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg'


def jpeg(img, name, quality=90):
    # No EXIF, no ICC: plain baseline JPEGs.
    img.convert('RGB').save(name, 'JPEG', quality=quality)


# Straight copies (re-encoded from PNG where the original is PNG).
for name in ['astronaut', 'camera', 'chelsea', 'coffee']:
    jpeg(Image.open(SKIMAGE + name + '.png'), name + '.jpg')
shutil.copyfile(SKIMAGE + 'rocket.jpg', 'rocket.jpg')
shutil.copyfile(GRACE, 'grace_hopper.jpg')

astronaut = Image.open(SKIMAGE + 'astronaut.png').convert('RGB')
grace = Image.open(GRACE).convert('RGB')
rocket = Image.open(SKIMAGE + 'rocket.jpg').convert('RGB')

# A small face in a wide scene: the rocket launch scaled up to 2400 wide (cropped to 2400x1200), with
# the astronaut's head and shoulders pasted in at a scale where her face is ~8% of the long side.
scene = rocket.resize((2400, 1601), Image.BICUBIC).crop((0, 200, 2400, 1400))
person = astronaut.crop((90, 0, 360, 300))
person = person.resize((int(person.width * 2.02), int(person.height * 2.02)), Image.LANCZOS)
scene.paste(person, (1600, 480))
jpeg(scene, 'small_face_scene.jpg', quality=70)

# Two people side by side at similar size (face areas within ~2x of each other).
left = astronaut.crop((100, 0, 350, 340))
left = left.resize((int(left.width * 1.8), 612), Image.LANCZOS)
right = grace.crop((90, 60, 440, 600))
right = right.resize((int(right.width * 612 / 540), 612), Image.LANCZOS)
pair = Image.new('RGB', (left.width + right.width, 612))
pair.paste(left, (0, 0))
pair.paste(right, (left.width, 0))
jpeg(pair, 'two_people.jpg')

# EXIF orientation 6: the pixels are stored turned a quarter counter-clockwise, and the tag tells viewers
# to turn them clockwise. Stored 600x512, shown 512x600. GPS tags (a made-up position: the Washington Navy
# Yard) are added so tests can check that outputs drop them.
jpeg(grace.rotate(90, expand=True), 'grace_hopper_exif6.jpg')
subprocess.run(['exiftool', '-q', '-overwrite_original', '-n', '-Orientation=6',
                '-GPSLatitude=38.8735', '-GPSLatitudeRef=N', '-GPSLongitude=76.9950', '-GPSLongitudeRef=W',
                'grace_hopper_exif6.jpg'], check=True)

# A JPEG cut off at 55% of its bytes (a failed upload).
with open('astronaut.jpg', 'rb') as f:
    data = f.read()
with open('truncated.jpg', 'wb') as f:
    f.write(data[:int(len(data) * 0.55)])


# A tiny PNG whose IHDR claims 60000x60000 (a pixel bomb): valid chunks and CRCs, one byte of image data.
def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF)


ihdr = struct.pack('>IIBBBBB', 60000, 60000, 8, 2, 0, 0, 0)
with open('bomb_60000x60000.png', 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\x00')) + chunk(b'IEND', b''))

# HEIC of the astronaut through libheif's encoder (x265).
subprocess.run(['heif-enc', '-q', '60', '-o', 'astronaut.heic', 'astronaut.jpg'], check=True, stdout=subprocess.DEVNULL)

# The same HEIC with EXIF GPS tags and an XMP packet, stored as HEIF metadata items, for the stripping tests.
subprocess.run(['exiftool', '-q', '-o', 'astronaut_gps.heic', '-n', '-GPSLatitude=38.8735', '-GPSLatitudeRef=N',
                '-GPSLongitude=76.9950', '-GPSLongitudeRef=W', '-XMP-dc:Creator=Visage test', 'astronaut.heic'],
               check=True)
