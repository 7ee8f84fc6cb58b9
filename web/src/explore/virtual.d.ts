// Modules build.mjs makes at build time.

/** The map's boundaries: a TopoJSON topology built by regions-geo.mjs. */
declare module 'virtual:regions' {
  const topology: unknown;
  export default topology;
}
