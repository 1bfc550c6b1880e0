"""Cloaking: an adversarial perturbation on a work's display variants, at the artist's choice.

Layers (docs/cloaking.md):
- ``levels`` and ``base``: the levels (off, low, default, high), their budgets, and the
  backend interface ``CloakBackend.cloak(pixels, level=...) -> CloakResult``;
- ``backends``: an external HTTP service and a built-in encoder attack (torch, optional);
- ``registry``: the backend named in ``settings.CLOAKING``;
- ``models``, ``services``, ``tasks``, ``selectors``: the job per asset, run in the background;
- ``pipeline``: the adapter the image pipeline implements (variant pixels in, cloaked out);
- ``preserve``: encoding settings that keep a cloak's pixels (ours, or the artist's own).

Nothing here imports torch at module level: a server without it runs everything but the
built-in backend, whose ``available()`` says why.
"""
