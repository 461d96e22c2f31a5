import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useConsole } from '../context';

export interface FunnelStep {
  readonly label: string;
  readonly value: number;
  readonly tone?: 'good' | 'bad' | 'neutral';
}

/** Horizontal bars, widest first, each with its figure: queued → sent → delivered, then the losses. */
export function Funnel({ steps, title }: { readonly steps: readonly FunnelStep[]; readonly title: string }) {
  const { words } = useConsole();
  const top = Math.max(1, ...steps.map((step) => step.value));
  const row = 28;
  return (
    <figure class="chart funnel" data-chart="funnel">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={title}
        viewBox={`0 0 100 ${steps.length * row}`}
        preserveAspectRatio="none"
        height={steps.length * row}
        width="100%"
      >
        {steps.map((step, i) => (
          <rect
            key={step.label}
            class={`bar ${step.tone ?? 'neutral'}`}
            x={words.dir === 'rtl' ? 100 - (step.value / top) * 100 : 0}
            y={i * row + 4}
            width={(step.value / top) * 100}
            height={row - 8}
          />
        ))}
      </svg>
      <ul class="legend">
        {steps.map((step) => (
          <li key={step.label}>
            <span class={`swatch ${step.tone ?? 'neutral'}`} /> {step.label}: {words.number(step.value)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

export interface Series {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** Counts per minute over time (uPlot), Tehran time on the axis in the user's calendar. */
export function TimeChart({
  title,
  minutes,
  series,
}: {
  readonly title: string;
  readonly minutes: readonly number[];
  readonly series: readonly Series[];
}) {
  const { words } = useConsole();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || minutes.length === 0) return;
    const plot = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        axes: [
          { values: (_u, ticks) => ticks.map((tick) => words.time(tick * 1000)) },
          { values: (_u, ticks) => ticks.map((tick) => words.number(tick)) },
        ],
        series: [
          { value: (_u, v) => (v == null ? '' : words.dateTime(v * 1000)) },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            value: (_u: uPlot, v: number | null) => (v == null ? '' : words.number(v)),
          })),
        ],
      },
      [minutes.map((m) => m / 1000), ...series.map((s) => [...s.values])],
      element,
    );
    const resize = () => plot.setSize({ width: Math.max(280, element.clientWidth), height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [minutes, series, words]);
  return (
    <figure class="chart timeline" data-chart="timeline" dir="ltr">
      <figcaption dir={words.dir}>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} />
    </figure>
  );
}
