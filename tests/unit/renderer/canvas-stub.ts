/**
 * A 2D canvas context that draws nothing, for components with ECharts mounted in happy-dom (which has
 * no canvas): the chart lays itself out and takes its options, and the test reads the page around it.
 */
export function stubCanvas(): void {
  const context: object = new Proxy(
    {},
    {
      get(target: Record<PropertyKey, unknown>, prop) {
        if (prop in target) return target[prop];
        if (prop === 'measureText') return (text: string) => ({ width: text.length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 });
        if (prop === 'getImageData') return () => ({ data: new Uint8ClampedArray(4) });
        if (prop === 'canvas') return undefined;
        return () => context;
      },
      set(target: Record<PropertyKey, unknown>, prop, value) {
        target[prop] = value;
        return true;
      },
    },
  );
  HTMLCanvasElement.prototype.getContext = (() => context) as unknown as HTMLCanvasElement['getContext'];
}
