/**
 * The standalone HTML export: one file with the tfjs runtime, the generator's weights and a small
 * page (sample grid, new samples, ψ-truncation, latent walks, class choice) inlined, so it runs
 * offline by double-click; for a translation run, a translator's page (drop an image, see its
 * translation). Its CSP allows no network at all.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describeTruncation, type Truncation } from '../common/truncation';
import { PAGE_SCRIPT, PAGE_STYLE, TRANSLATOR_PAGE_SCRIPT, TRANSLATOR_PAGE_STYLE } from './export-page-script';

export const HTML_FILE = 'generator.html';

/** The browser build of the tfjs the app ships: the page runs the same layers code that exported the model. */
export function tfjsRuntime(): string {
  return readFileSync(createRequire(import.meta.url).resolve('@tensorflow/tfjs/dist/tf.es2017.min.js'), 'utf8');
}

export interface PageAbout {
  runId: string;
  step: number;
  weights: string;
  latentSize: number;
  size: number;
  channels: number;
  /** Class names of a conditional generator, else []. */
  classes: string[];
  truncation: Truncation | null;
  example: { count: number; noise: number[]; labels: number[] | null };
}

/** Text for inside <script>: nothing in it may end the element or open a comment there. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function generatorPage(runtime: string, artifacts: tf.io.ModelArtifacts, about: PageAbout): string {
  const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const data = { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs ?? [], weights: Buffer.from(weights).toString('base64'), about };
  // In a JSON script element only "<" can end it early; \u003c reads back as the same character.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const title = `Generator of run ${about.runId}, step ${about.step}`;
  const t = about.truncation;
  const classOptions = about.classes.map((c, i) => `<option value="${i}">${escapeHtml(c)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · GAN Workbench</title>
<style>${PAGE_STYLE}</style>
</head>
<body data-state="loading">
<h1>${escapeHtml(title)}</h1>
<p class="muted">Exported by GAN Workbench: the ${escapeHtml(about.weights)}, ${about.size}×${about.size} ${about.channels === 1 ? 'grey' : 'RGB'} images from ${about.latentSize}-d standard normal noise${about.classes.length ? `, conditional on ${about.classes.length} classes` : ''}. Everything runs in this page, offline.</p>
<p id="status" class="muted">Loading the generator…</p>
<section class="panel">
  <div class="controls">
    <button id="new-samples" type="button" disabled>New samples</button>
    <label><input id="psi-on" type="checkbox"${t ? ' checked' : ''}> ψ-truncation</label>
    <label>ψ <input id="psi" type="number" min="0" max="4" step="0.05" value="${t?.psi ?? 0.7}" style="width: 64px"></label>
    <select id="psi-mode" aria-label="How ψ truncates"><option value="resample"${t?.mode !== 'lerp' ? ' selected' : ''}>redraw outside ±ψ</option><option value="lerp"${t?.mode === 'lerp' ? ' selected' : ''}>toward the mean (ψ·z)</option></select>
    ${about.classes.length ? `<label>Class <select id="class"><option value="each">one of each, in turn</option>${classOptions}</select></label>` : '<select id="class" hidden><option value="each"></option></select>'}
  </div>
  <canvas id="grid" data-source=""></canvas>
  <p class="muted">Samples: <span id="psi-shown"></span>. The first grid is the trainer’s own example (${escapeHtml(describeTruncation(t))}); “New samples” draws fresh noise. Click two samples for a latent walk between them.</p>
</section>
<section class="panel">
  <p id="walk-status" class="muted">Click a sample, then another: the walk between them appears here.</p>
  <canvas id="walk"></canvas>
</section>
<script>${scriptSafe(runtime)}</script>
<script type="application/json" id="generator-data">${json}</script>
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}

/** How the translator page makes the model's input from a dropped image drawn at S × S. */
export type PagePrepare = { kind: 'inpaint' } | { kind: 'superres'; scale: number } | { kind: 'colorize' } | { kind: 'image' };

export interface TranslatorPageAbout {
  runId: string;
  step: number;
  weights: string;
  direction: 'ab' | 'ba';
  size: number;
  inChannels: number;
  outChannels: number;
  prepare: PagePrepare;
  /** What the input's channels hold, in words. */
  input: string;
}

const PREPARE_TEXT: Record<PagePrepare['kind'], string> = {
  inpaint: 'a centred square hole of half the side is cut out (its pixels mid grey) and the hole mask added as the last channel, 1 inside the hole',
  superres: 'it is downscaled by the run’s scale and upscaled back with the canvas’s high-quality smoothing, which approximates the bicubic upscale the run trained with',
  colorize: 'it is made grey by luma (0.299 R + 0.587 G + 0.114 B)',
  image: 'it is translated as it is',
};

/** The translator's page: a drop zone (or file chooser); the image cover-cropped to S × S, made into the input by the page's script, translated, shown beside its input with a download link. */
export function translatorPage(runtime: string, artifacts: tf.io.ModelArtifacts, about: TranslatorPageAbout): string {
  const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const data = { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs ?? [], weights: Buffer.from(weights).toString('base64'), about };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const title = `Translator ${about.direction === 'ab' ? 'A → B' : 'B → A'} of run ${about.runId}, step ${about.step}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · GAN Workbench</title>
<style>${PAGE_STYLE}${TRANSLATOR_PAGE_STYLE}</style>
</head>
<body data-state="loading">
<h1>${escapeHtml(title)}</h1>
<p class="muted">Exported by GAN Workbench: the ${escapeHtml(about.weights)}, ${about.size}×${about.size} images. Drop an image: it is cropped to a centred square and drawn at ${about.size}×${about.size}, then ${escapeHtml(PREPARE_TEXT[about.prepare.kind])}. Everything runs in this page, offline.</p>
<p id="status" class="muted">Loading the translator…</p>
<section class="panel">
  <label id="drop" class="drop">Drop an image here, or <input id="file" type="file" accept="image/*"></label>
  <div class="pair">
    <figure><canvas id="input" width="${about.size}" height="${about.size}"></canvas><figcaption>input, as the translator sees it</figcaption></figure>
    <figure><canvas id="output" width="${about.size}" height="${about.size}"></canvas><figcaption>output · <a id="download" download="translated.png" hidden>download PNG</a></figcaption></figure>
  </div>
  <p class="muted">Model input: ${escapeHtml(about.input)}</p>
</section>
<script>${scriptSafe(runtime)}</script>
<script type="application/json" id="translator-data">${json}</script>
<script>${scriptSafe(TRANSLATOR_PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
