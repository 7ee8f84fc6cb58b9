// The header's "Print report", "Download Excel" and "Download CSV": exactly what is on screen. On the chain tab
// the chain (its report, its firms); on the map, once a region is picked or its page is open, the chain in that
// region (the region's printable page, the chain's firms with a site there, the unresolved bottlenecks its firms
// meet — as the map's region panel lists them). The files come from the server's /export and /report routes.
import { gql, graphql } from './api';
import { lang, nameOf, t, useLang } from './i18n';
import { useQuery } from './usequery';

const REGION_NAME = graphql(`query ExplorerRegionName($code: String!) { region(code: $code) { code name nameZh } }`);

/** The addresses of what the bar offers, for a chain and, on the map, a region; the report in the language shown. */
export function exportLinks(chainId: string, region: string | null) {
  const firms = new URLSearchParams({ chainMapId: chainId });
  if (region) firms.set('regionCode', region);
  const bottlenecks = new URLSearchParams({ chainMapId: chainId });
  if (region) {
    bottlenecks.set('affectsRegionCode', region);
    bottlenecks.set('status', 'OPEN,IN_PROGRESS');
  }
  return {
    report: region
      ? `/report/region/${encodeURIComponent(region)}?chainMapId=${encodeURIComponent(chainId)}&lang=${lang()}`
      : `/report/${encodeURIComponent(chainId)}?lang=${lang()}`,
    excel: `/export/enterprises.xlsx?${firms}`,
    csv: `/export/enterprises.csv?${firms}`,
    bottlenecks: region ? `/export/bottlenecks.csv?${bottlenecks}` : null,
  };
}

/** ExportBar offers the report and the spreadsheets of the chain (and region) shown. */
export function ExportBar({ chainId, chainName, region }: { chainId: string; chainName: string; region: string | null }) {
  useLang();
  const named = useQuery(region ? `region-name:${region}` : null, (signal) =>
    gql(REGION_NAME, { code: region! }, signal).then((d) => d.region),
  );
  const regionName = region ? (named?.data ? nameOf(named.data) : region) : '';
  const links = exportLinks(chainId, region);
  return (
    <div className="export-bar" data-testid="export-bar" data-chain={chainId} data-region={region ?? ''}>
      <a
        className="button"
        href={links.report}
        target="_blank"
        rel="noopener"
        data-testid="print-report"
        title={region ? t('printRegionTitle', regionName, chainName) : t('printChainTitle', chainName)}
      >
        {t('printReport')}
      </a>
      <a
        className="button"
        href={links.excel}
        download
        data-testid="download-excel"
        title={region ? t('downloadRegionTitle', chainName, regionName) : t('downloadChainTitle', chainName)}
      >
        {t('downloadExcel')}
      </a>
      <a
        className="button secondary"
        href={links.csv}
        download
        data-testid="download-csv"
        title={region ? t('downloadRegionTitle', chainName, regionName) : t('downloadChainTitle', chainName)}
      >
        {t('downloadCsv')}
      </a>
      {links.bottlenecks ? (
        <a
          className="button secondary"
          href={links.bottlenecks}
          download
          data-testid="download-bottlenecks"
          title={t('downloadBottlenecksTitle', regionName)}
        >
          {t('downloadBottlenecks')}
        </a>
      ) : null}
    </div>
  );
}
