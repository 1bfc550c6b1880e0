// Placeholders behind lazy images (docs/imaging.md, "Placeholders"). The {% picture %} tag puts
// data-dominant-color and data-blurhash on each <picture>: until the image has loaded, the
// picture shows its dominant colour at once, then the BlurHash decoded to a 32 px canvas and
// stretched (the browser's smoothing does the blurring). Without this file the page is the
// same, minus the placeholder. The decoder follows the BlurHash algorithm as published by
// Wolt (github.com/woltapp/blurhash, "Algorithm.md"); it is written here, not vendored.
(() => {
  "use strict";

  const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
  const SIZE = 32;

  function decode83(text) {
    let value = 0;
    for (const char of text) {
      const digit = DIGITS.indexOf(char);
      if (digit < 0) throw new Error("not base83");
      value = value * 83 + digit;
    }
    return value;
  }
  function toLinear(channel) {
    const v = channel / 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
  function toSRGB(linear) {
    const v = Math.max(0, Math.min(1, linear));
    return Math.round((v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255);
  }
  function signedPow(value, exp) {
    return Math.sign(value) * Math.pow(Math.abs(value), exp);
  }

  // The hash's colour components: [r, g, b] in linear light, numX * numY of them.
  function components(hash) {
    const size = decode83(hash[0]);
    const numX = (size % 9) + 1;
    const numY = Math.floor(size / 9) + 1;
    if (hash.length !== 4 + 2 * numX * numY) throw new Error("bad length");
    const maximum = (decode83(hash[1]) + 1) / 166;
    const dc = decode83(hash.slice(2, 6));
    const colours = [[toLinear(dc >> 16), toLinear((dc >> 8) & 255), toLinear(dc & 255)]];
    for (let i = 1; i < numX * numY; i++) {
      const ac = decode83(hash.slice(4 + i * 2, 6 + i * 2));
      colours.push([
        signedPow((Math.floor(ac / 361) - 9) / 9, 2) * maximum,
        signedPow((Math.floor(ac / 19) % 19 - 9) / 9, 2) * maximum,
        signedPow((ac % 19 - 9) / 9, 2) * maximum,
      ]);
    }
    return { numX, numY, colours };
  }

  function blurhashDataURL(hash) {
    const { numX, numY, colours } = components(hash);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIZE;
    const context = canvas.getContext("2d");
    if (!context) return "";
    const image = context.createImageData(SIZE, SIZE);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let r = 0, g = 0, b = 0;
        for (let j = 0; j < numY; j++) {
          for (let i = 0; i < numX; i++) {
            const basis = Math.cos((Math.PI * x * i) / SIZE) * Math.cos((Math.PI * y * j) / SIZE);
            const colour = colours[i + j * numX];
            r += colour[0] * basis;
            g += colour[1] * basis;
            b += colour[2] * basis;
          }
        }
        const at = 4 * (x + y * SIZE);
        image.data[at] = toSRGB(r);
        image.data[at + 1] = toSRGB(g);
        image.data[at + 2] = toSRGB(b);
        image.data[at + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
    return canvas.toDataURL();
  }

  function placehold(picture) {
    const img = picture.querySelector("img");
    if (!img || picture.dataset.placeholder) return;
    picture.dataset.placeholder = "1";
    if (img.complete && img.naturalWidth > 0) return; // already there (cached)
    const colour = picture.dataset.dominantColor || "";
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) picture.style.backgroundColor = colour;
    const hash = picture.dataset.blurhash || "";
    if (hash.length >= 6) {
      try {
        const url = blurhashDataURL(hash);
        if (url) picture.style.backgroundImage = `url("${url}")`;
      } catch (_error) {
        // A hash we cannot read: the colour alone is placeholder enough.
      }
    }
    picture.classList.add("has-placeholder");
    const done = () => picture.classList.add("is-loaded");
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
  }

  function scan(scope) {
    for (const picture of scope.querySelectorAll("picture[data-dominant-color], picture[data-blurhash]")) {
      placehold(picture);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => scan(document));
  else scan(document);
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt instanceof Element) scan(event.detail.elt);
  });

  // For tests: the decoder alone (Impasto.blurhashDataURL("LEHV6n...")).
  window.Impasto = Object.assign(window.Impasto || {}, { blurhashDataURL });
})();
