import { css } from 'lit';

export const selfieCaptureStyles = css`
  .stage {
    position: relative;
    inline-size: 100%;
    aspect-ratio: 3 / 4;
    max-block-size: 62vh;
    margin-inline: auto;
    overflow: hidden;
    border-radius: var(--_radius);
    background: #0b0d12;
  }
  video,
  svg {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
  }
  video {
    object-fit: cover;
  }
  video.mirrored {
    transform: scaleX(-1);
  }
  .shade {
    fill: rgb(11 13 18 / 0.55);
  }
  .oval {
    fill: none;
    stroke: var(--idv-selfie-capture-oval-color, #ffffff);
    stroke-width: 4;
    vector-effect: non-scaling-stroke;
    transition: stroke 150ms;
  }
  .oval.ready {
    stroke: var(--idv-selfie-capture-oval-ready-color, #22c55e);
  }
  .guidance {
    position: absolute;
    inset-inline: 1rem;
    inset-block-end: 1rem;
    margin: 0;
    padding: 0.6rem 1rem;
    border-radius: 999px;
    background: rgb(11 13 18 / 0.75);
    color: #ffffff;
    font-weight: 600;
    text-align: center;
  }
  .notice {
    padding: 0.75rem 1rem;
    border-radius: var(--_radius);
    background: #fff4e5;
    color: #7a2e0e;
    margin-block-end: 1rem;
  }
  .row {
    display: flex;
    gap: 0.75rem;
    justify-content: center;
    margin-block-start: 1rem;
  }
  .row button {
    flex: 1;
  }
`;
