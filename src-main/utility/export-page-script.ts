/**
 * The script and style of the standalone HTML export (export-page.ts inlines them): plain browser
 * JavaScript over the tfjs runtime inlined before it, so the page runs by double-click with no server.
 * Kept as text, not compiled code, because it runs in the reader's browser, not here; the e2e test
 * (tests/e2e/html-export.test.ts) runs it in Chromium from file://; the translator page's, tests/e2e/translator-html-export.test.ts.
 */

export const PAGE_STYLE = `
:root { color-scheme: light dark; --border: #8884; --muted: #888; --accent: #3b6ef5; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 20px; max-width: 980px; }
h1 { font-size: 20px; margin: 0 0 4px; }
p { margin: 4px 0; }
.muted { color: var(--muted); font-size: 12.5px; }
.panel { border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; margin: 14px 0; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; margin-bottom: 10px; }
.controls label { display: flex; gap: 6px; align-items: center; }
button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: default; }
canvas { image-rendering: pixelated; background: #111; border-radius: 4px; display: block; }
#grid { width: min(100%, 512px); cursor: crosshair; }
#walk { width: 100%; max-width: 940px; }
.error { color: #d33; }
`;

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('generator-data').textContent);
  var about = data.about;
  var status = document.getElementById('status');
  var grid = document.getElementById('grid');
  var walkCanvas = document.getElementById('walk');
  var psiOn = document.getElementById('psi-on');
  var psiValue = document.getElementById('psi');
  var psiMode = document.getElementById('psi-mode');
  var psiShown = document.getElementById('psi-shown');
  var classSelect = document.getElementById('class');
  var newButton = document.getElementById('new-samples');
  var walkStatus = document.getElementById('walk-status');
  var n = about.example.count;
  var cols = Math.ceil(Math.sqrt(n));
  var rows = Math.ceil(n / cols);
  var size = about.size;
  var latent = about.latentSize;
  var conditional = about.classes.length > 0;
  var current = { noise: Float32Array.from(about.example.noise), labels: about.example.labels };
  var ends = [];

  function gaussian() {
    var u = 1 - Math.random();
    var v = Math.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /* The same truncation as the workbench: redraw outside ±ψ, or z ← ψ·z (the mean latent is 0). */
  function truncate(z) {
    if (!psiOn.checked) return z;
    var psi = Number(psiValue.value);
    /* Each mode's range, as the workbench's: below 0.1 a redraw would hardly ever land inside ±ψ. */
    if (!isFinite(psi)) psi = 0.7;
    psi = psiMode.value === 'lerp' ? Math.min(1, Math.max(0, psi)) : Math.min(4, Math.max(0.1, psi));
    psiValue.value = String(psi);
    for (var i = 0; i < z.length; i++) {
      if (psiMode.value === 'lerp') z[i] = psi * z[i];
      else while (Math.abs(Math.fround(z[i])) > psi) z[i] = gaussian();
    }
    return z;
  }
  function freshNoise(count) {
    var z = new Float32Array(count * latent);
    for (var i = 0; i < z.length; i++) z[i] = gaussian();
    return truncate(z);
  }
  function labelsFor(count) {
    if (!conditional) return null;
    var out = [];
    for (var i = 0; i < count; i++) out.push(classSelect.value === 'each' ? i % about.classes.length : Number(classSelect.value));
    return out;
  }
  /* Images as RGBA bytes, one cell after another: pixels are round((x + 1) · 127.5), as in the workbench. */
  function render(model, noise, labels, count) {
    var out = tf.tidy(function () {
      var z = tf.tensor2d(noise, [count, latent]);
      var inputs = labels ? [z, tf.tensor2d(labels, [count, 1])] : z;
      return model.predict(inputs).add(1).mul(127.5).round().clipByValue(0, 255);
    });
    return out.data().then(function (values) {
      out.dispose();
      var c = about.channels;
      var rgba = new Uint8ClampedArray(count * size * size * 4);
      for (var p = 0; p < count * size * size; p++) {
        rgba[p * 4] = values[p * c];
        rgba[p * 4 + 1] = values[p * c + (c === 3 ? 1 : 0)];
        rgba[p * 4 + 2] = values[p * c + (c === 3 ? 2 : 0)];
        rgba[p * 4 + 3] = 255;
      }
      return rgba;
    });
  }
  /* Cells tiled \`across\` wide with no border, as example.png is. */
  function draw(canvas, rgba, count, across) {
    var down = Math.ceil(count / across);
    canvas.width = across * size;
    canvas.height = down * size;
    var ctx = canvas.getContext('2d');
    for (var k = 0; k < count; k++) {
      var cell = new ImageData(rgba.slice(k * size * size * 4, (k + 1) * size * size * 4), size, size);
      ctx.putImageData(cell, (k % across) * size, Math.floor(k / across) * size);
    }
  }
  function slerp(a, b, t) {
    var dot = 0, na = 0, nb = 0;
    for (var i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    var omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
    var out = new Float32Array(a.length);
    for (var j = 0; j < a.length; j++) {
      out[j] = omega < 1e-4 ? (1 - t) * a[j] + t * b[j] : (Math.sin((1 - t) * omega) * a[j] + Math.sin(t * omega) * b[j]) / Math.sin(omega);
    }
    return out;
  }

  var bytes = Uint8Array.from(atob(data.weights), function (ch) { return ch.charCodeAt(0); });
  var wantCpu = location.hash === '#cpu';
  (wantCpu ? tf.setBackend('cpu') : tf.ready())
    .then(function () {
      return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: data.modelTopology, weightSpecs: data.weightSpecs, weightData: bytes.buffer }));
    })
    .then(function (model) {
      function show(source) {
        newButton.disabled = true;
        return render(model, current.noise, current.labels, n).then(function (rgba) {
          draw(grid, rgba, n, cols);
          grid.dataset.source = source;
          psiShown.textContent = psiOn.checked ? 'ψ ' + psiValue.value + (psiMode.value === 'lerp' ? ' (lerp)' : '') : 'no truncation';
          newButton.disabled = false;
        });
      }
      newButton.addEventListener('click', function () {
        current = { noise: freshNoise(n), labels: labelsFor(n) };
        show('random');
      });
      /* Another class for the same noise: the samples change only by class. */
      classSelect.addEventListener('change', function () {
        current = { noise: current.noise, labels: labelsFor(n) };
        show('class');
      });
      grid.addEventListener('click', function (e) {
        var box = grid.getBoundingClientRect();
        var k = Math.floor(((e.clientY - box.top) / box.height) * rows) * cols + Math.floor(((e.clientX - box.left) / box.width) * cols);
        if (k < 0 || k >= n) return;
        ends = ends.length === 1 ? [ends[0], k] : [k];
        if (ends.length === 1) {
          walkStatus.textContent = 'From sample ' + (k + 1) + ': click another sample to walk to it.';
          return;
        }
        var frames = 8;
        var a = current.noise.subarray(ends[0] * latent, (ends[0] + 1) * latent);
        var b = current.noise.subarray(ends[1] * latent, (ends[1] + 1) * latent);
        var noise = new Float32Array(frames * latent);
        for (var f = 0; f < frames; f++) noise.set(slerp(a, b, f / (frames - 1)), f * latent);
        var label = current.labels ? current.labels[ends[0]] : 0;
        var labels = current.labels ? new Array(frames).fill(label) : null;
        render(model, noise, labels, frames).then(function (rgba) {
          draw(walkCanvas, rgba, frames, frames);
          walkCanvas.dataset.from = String(ends[0]);
          walkCanvas.dataset.to = String(ends[1]);
          walkStatus.textContent = 'Walk from sample ' + (ends[0] + 1) + ' to sample ' + (ends[1] + 1) + ' (spherical).';
        });
      });
      return show('example').then(function () {
        status.textContent = 'Ready: the grid shows the trainer’s example (backend ' + tf.getBackend() + ').';
        document.body.dataset.backend = tf.getBackend();
        document.body.dataset.state = 'ready';
      });
    })
    .catch(function (e) {
      status.textContent = 'The generator could not run here: ' + (e && e.message ? e.message : e);
      status.className = 'error';
      document.body.dataset.state = 'error';
    });
})();
`;

export const TRANSLATOR_PAGE_STYLE = `
.drop { display: block; border: 2px dashed var(--border); border-radius: 8px; padding: 22px; text-align: center; margin-bottom: 12px; }
.drop.over { border-color: var(--accent); }
.pair { display: flex; flex-wrap: wrap; gap: 18px; }
.pair figure { margin: 0; }
.pair canvas { width: 256px; height: 256px; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
`;

/**
 * The translator page's script: the dropped (or chosen) image cover-cropped and drawn at S × S, made
 * into the translator's input as the run made its inputs (grey by BT.601 luma; super-resolution's
 * down-and-up through canvases with high-quality smoothing, an approximation of the run's bicubic;
 * inpainting's centred hole of half the side with its mask channel), run, shown beside its input.
 */
export const TRANSLATOR_PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('translator-data').textContent);
  var about = data.about;
  var S = about.size;
  var status = document.getElementById('status');
  var drop = document.getElementById('drop');
  var fileInput = document.getElementById('file');
  var inputCanvas = document.getElementById('input');
  var outputCanvas = document.getElementById('output');
  var download = document.getElementById('download');
  var outChannels = about.outChannels;

  function canvasOf(side) {
    var c = document.createElement('canvas');
    c.width = side;
    c.height = side;
    return c;
  }
  function smooth(ctx) {
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    return ctx;
  }
  /* The image's centred square (cover crop) drawn at S × S; RGBA bytes. */
  function cover(img) {
    var c = canvasOf(S);
    var ctx = smooth(c.getContext('2d'));
    var w = img.naturalWidth || img.width;
    var h = img.naturalHeight || img.height;
    var side = Math.min(w, h);
    ctx.drawImage(img, (w - side) / 2, (h - side) / 2, side, side, 0, 0, S, S);
    if (about.prepare.kind === 'superres') {
      /* Down to S / scale and back up: the canvas's smoothing stands in for the run's filters. */
      var small = canvasOf(Math.round(S / about.prepare.scale));
      smooth(small.getContext('2d')).drawImage(c, 0, 0, small.width, small.height);
      ctx.clearRect(0, 0, S, S);
      ctx.drawImage(small, 0, 0, S, S);
    }
    return ctx.getImageData(0, 0, S, S).data;
  }
  var luma = function (rgba, p) { return 0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2]; };
  /* The model's input [S, S, inChannels] in [-1, 1], and the same input as RGBA to show. */
  function prepare(rgba) {
    var kind = about.prepare.kind;
    var inC = about.inChannels;
    var imageC = kind === 'inpaint' ? inC - 1 : inC;
    var x = new Float32Array(S * S * inC);
    var shown = new Uint8ClampedArray(S * S * 4);
    var lo = Math.floor(S / 4);
    var hi = lo + Math.floor(S / 2);
    for (var y = 0; y < S; y++) {
      for (var col = 0; col < S; col++) {
        var p = y * S + col;
        var hole = kind === 'inpaint' && y >= lo && y < hi && col >= lo && col < hi;
        for (var k = 0; k < imageC; k++) {
          var v = imageC === 1 ? luma(rgba, p) : rgba[p * 4 + k];
          x[p * inC + k] = hole ? 0 : v / 127.5 - 1;
        }
        if (kind === 'inpaint') x[p * inC + imageC] = hole ? 1 : -1;
        for (var j = 0; j < 3; j++) shown[p * 4 + j] = Math.round((x[p * inC + (imageC === 1 ? 0 : j)] + 1) * 127.5);
        shown[p * 4 + 3] = 255;
      }
    }
    return { x: x, shown: shown };
  }
  function show(canvas, rgba) {
    canvas.getContext('2d').putImageData(new ImageData(rgba, S, S), 0, 0);
  }

  var bytes = Uint8Array.from(atob(data.weights), function (ch) { return ch.charCodeAt(0); });
  var wantCpu = location.hash === '#cpu';
  (wantCpu ? tf.setBackend('cpu') : tf.ready())
    .then(function () {
      return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: data.modelTopology, weightSpecs: data.weightSpecs, weightData: bytes.buffer }));
    })
    .then(function (model) {
      function translate(img) {
        var prepared = prepare(cover(img));
        show(inputCanvas, prepared.shown);
        var out = tf.tidy(function () {
          return model.predict(tf.tensor4d(prepared.x, [1, S, S, about.inChannels])).add(1).mul(127.5).round().clipByValue(0, 255);
        });
        return out.data().then(function (values) {
          out.dispose();
          var rgba = new Uint8ClampedArray(S * S * 4);
          for (var p = 0; p < S * S; p++) {
            for (var j = 0; j < 3; j++) rgba[p * 4 + j] = values[p * outChannels + (outChannels === 3 ? j : 0)];
            rgba[p * 4 + 3] = 255;
          }
          show(outputCanvas, rgba);
          download.href = outputCanvas.toDataURL('image/png');
          download.hidden = false;
          status.textContent = 'Translated (backend ' + tf.getBackend() + ').';
          document.body.dataset.state = 'translated';
        });
      }
      function load(file) {
        if (!file) return;
        var url = URL.createObjectURL(file);
        var img = new Image();
        img.onload = function () {
          URL.revokeObjectURL(url);
          translate(img).catch(fail);
        };
        img.onerror = function () {
          URL.revokeObjectURL(url);
          fail(new Error('the file is not an image this browser can read'));
        };
        img.src = url;
      }
      fileInput.addEventListener('change', function () { load(fileInput.files && fileInput.files[0]); });
      drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over'); });
      drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
      drop.addEventListener('drop', function (e) {
        e.preventDefault();
        drop.classList.remove('over');
        load(e.dataTransfer && e.dataTransfer.files[0]);
      });
      status.textContent = 'Ready: drop an image (backend ' + tf.getBackend() + ').';
      document.body.dataset.backend = tf.getBackend();
      document.body.dataset.state = 'ready';
    })
    .catch(fail);
  function fail(e) {
    status.textContent = 'The translator could not run here: ' + (e && e.message ? e.message : e);
    status.className = 'error';
    document.body.dataset.state = 'error';
  }
})();
`;
