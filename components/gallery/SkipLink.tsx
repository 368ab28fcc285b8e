/** The first Tab stop: jumps past the header and filters to the photos. */
export function SkipLink({ label }: { label: string }) {
  return (
    <a
      href="#photos"
      className="sr-only z-50 rounded-md bg-sky-700 px-4 py-3 font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
    >
      {label}
    </a>
  );
}
