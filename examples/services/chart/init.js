// Draws a bar chart of one car's figures, twice: chart.svg (text, with labels) and chart.png
// (binary, encoded here with zlib so no image library is needed), plus summary.json.
const fs = require('node:fs');
const zlib = require('node:zlib');

/** The bars: each figure is drawn as a share of a fixed axis maximum. */
const METRICS = [
  { name: 'mpg', label: 'miles/gallon', max: 40, rgb: [66, 133, 244] },
  { name: 'hp', label: 'horsepower', max: 400, rgb: [219, 68, 55] },
  { name: 'wt', label: 'weight (1000 lbs)', max: 6, rgb: [244, 180, 0] },
  { name: 'qsec', label: '1/4 mile (s)', max: 25, rgb: [15, 157, 88] },
];
const WIDTH = 240;
const HEIGHT = 140;
const BAR = { left: 20, width: 40, gap: 15, bottom: 130, top: 10 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A truecolour PNG of `pixels` (width × height × 3 bytes, rows top to bottom). */
function encodePng(width, height, pixels) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    pixels.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Each bar's geometry: x, pixel height and the share of its axis it shows (clamped to 0..1). */
function bars(values) {
  return METRICS.map((m, i) => {
    const share = Math.min(1, Math.max(0, values[m.name] / m.max));
    const height = Math.round(share * (BAR.bottom - BAR.top));
    return { ...m, value: values[m.name], share, x: BAR.left + i * (BAR.width + BAR.gap), height };
  });
}

function drawPng(values) {
  const px = Buffer.alloc(WIDTH * HEIGHT * 3, 255);
  const fill = (x0, y0, w, h, rgb) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) px.set(rgb, (y * WIDTH + x) * 3);
  };
  fill(BAR.left - 5, BAR.bottom, WIDTH - 2 * (BAR.left - 5), 1, [90, 90, 90]); // axis
  for (const b of bars(values)) fill(b.x, BAR.bottom - b.height, BAR.width, b.height, b.rgb);
  return encodePng(WIDTH, HEIGHT, px);
}

const xml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function drawSvg(title, values) {
  const rects = bars(values).map((b) => {
    const [r, g, bl] = b.rgb;
    return `  <rect x="${b.x}" y="${BAR.bottom - b.height}" width="${BAR.width}" height="${b.height}" fill="rgb(${r},${g},${bl})"><title>${xml(b.label)}: ${b.value}</title></rect>\n  <text x="${b.x + BAR.width / 2}" y="${HEIGHT - 2}" font-size="9" text-anchor="middle">${xml(b.name)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT + 10}" viewBox="0 -10 ${WIDTH} ${HEIGHT + 10}">\n  <text x="4" y="0" font-size="10">${xml(title)}</text>\n${rects.join('\n')}\n</svg>\n`;
}

function numberInput(name, value) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`input ${name} must be a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  return n;
}
