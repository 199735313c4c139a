// MusicXML (.musicxml, .xml, and .mxl: the same, zipped) read into Merlai's score format in the browser, as far as
// a completion needs: each part's notes with ties joined, the first time signature and tempo.
import type { Score, Track } from './score';

const TPQ = 480;
const STEPS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

export function musicXmlToScore(xml: string): Score {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.querySelector('parsererror') || !doc.querySelector('score-partwise')) throw new Error('not a partwise MusicXML score');
  const names = new Map([...doc.querySelectorAll('score-part')].map((p) => [p.id, p.querySelector('part-name')?.textContent?.trim() ?? p.id]));
  const score: Score = { format: 'merlai.score', version: 1, ticksPerQuarter: TPQ, tracks: [] };
  for (const part of doc.querySelectorAll('part')) {
    const notes: Track['notes'] = [];
    const tied = new Map<number, Track['notes'][0]>();
    let divisions = 1;
    let tick = 0;
    let lastOnset = 0;
    for (const measure of part.querySelectorAll(':scope > measure')) {
      for (const element of measure.children) {
        const ticks = (name: string) => Math.round((Number(element.querySelector(name)?.textContent ?? 0) * TPQ) / divisions);
        if (element.tagName === 'attributes') {
          divisions = Number(element.querySelector('divisions')?.textContent ?? divisions);
          const time = element.querySelector('time');
          if (time && !score.meter) {
            score.meter = { pickup: 0, timeSignatures: [{ tick, numerator: Number(time.querySelector('beats')?.textContent), denominator: Number(time.querySelector('beat-type')?.textContent) }] };
          }
        } else if (element.tagName === 'direction' || element.tagName === 'sound') {
          const tempo = element.tagName === 'sound' ? element.getAttribute('tempo') : element.querySelector('sound[tempo]')?.getAttribute('tempo');
          if (tempo && !score.tempo) score.tempo = [{ tick, bpm: Number(tempo) }];
        } else if (element.tagName === 'backup') {
          tick -= ticks('duration');
        } else if (element.tagName === 'forward') {
          tick += ticks('duration');
        } else if (element.tagName === 'note' && !element.querySelector('grace')) {
          const duration = ticks('duration');
          const onset = element.querySelector('chord') ? lastOnset : tick;
          if (!element.querySelector('chord')) tick += duration;
          lastOnset = onset;
          const pitch = element.querySelector('pitch');
          if (!pitch) continue;
          const midi = 12 * (Number(pitch.querySelector('octave')?.textContent) + 1) + STEPS[pitch.querySelector('step')?.textContent ?? 'C']
            + Number(pitch.querySelector('alter')?.textContent ?? 0);
          const ties = [...element.querySelectorAll('tie')].map((t) => t.getAttribute('type'));
          const held = tied.get(midi);
          if (ties.includes('stop') && held) {
            held.duration = onset + duration - held.onset;
            if (!ties.includes('start')) tied.delete(midi);
            continue;
          }
          const note = { pitch: midi, onset, duration: Math.max(1, duration), velocity: 90 };
          notes.push(note);
          if (ties.includes('start')) tied.set(midi, note);
        }
      }
    }
    if (notes.length) score.tracks.push({ name: names.get(part.id) ?? part.id, notes: notes.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch) });
  }
  if (!score.tracks.length) throw new Error('the MusicXML score holds no notes');
  return score;
}

/** The score inside a compressed MusicXML file (.mxl): the rootfile its container names, else its first .xml. */
export async function unzipMxl(bytes: Uint8Array): Promise<string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a compressed MusicXML file (no zip directory)');
  const entries = new Map<string, { method: number; size: number; offset: number }>();
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, { method: view.getUint16(at + 10, true), size: view.getUint32(at + 20, true), offset: view.getUint32(at + 42, true) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  const read = async (name: string) => {
    const entry = entries.get(name)!;
    const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
    const data = bytes.slice(start, start + entry.size);
    if (entry.method === 0) return new TextDecoder().decode(data);
    const stream = new Response(data).body!.pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text();
  };
  const container = entries.has('META-INF/container.xml') ? await read('META-INF/container.xml') : '';
  const root = /full-path="([^"]+)"/.exec(container)?.[1] ?? [...entries.keys()].find((n) => !n.startsWith('META-INF/') && n.endsWith('.xml'));
  if (!root || !entries.has(root)) throw new Error('the compressed MusicXML file holds no score');
  return read(root);
}
