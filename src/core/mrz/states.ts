/**
 * Codes that may stand for an issuing state or organisation and for a nationality in a machine-readable
 * zone (ICAO 9303 part 3 §5): the ISO 3166-1 alpha-3 codes, except that Germany is written `D`, plus the
 * codes ICAO reserves for organisations, British nationality categories, stateless persons and refugees.
 */

/** ISO 3166-1 alpha-3, as ICAO uses it (Germany's `DEU` is replaced by `D`). */
const ISO_3166_ALPHA3 = `
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR BHS
BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV
CRI CUB CUW CXR CYM CYP CZE DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB
GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND
IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA
LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI
MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT
PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK
SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA
UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
`;

/** The codes ICAO 9303 part 3 reserves beyond ISO 3166-1, with what each stands for. */
export const ICAO_SPECIAL_CODES: Readonly<Record<string, string>> = {
  D: 'Germany',
  GBD: 'British Overseas Territories Citizen',
  GBN: 'British National (Overseas)',
  GBO: 'British Overseas Citizen',
  GBP: 'British Protected Person',
  GBS: 'British Subject',
  UNO: 'United Nations Organization or one of its officials',
  UNA: 'Specialized agency of the United Nations or one of its officials',
  UNK: 'Resident of Kosovo to whom a travel document was issued by UNMIK',
  EUE: 'European Union',
  XBA: 'African Development Bank',
  XIM: 'African Export–Import Bank',
  XCC: 'Caribbean Community or one of its emissaries',
  XCE: 'Council of Europe',
  XCO: 'Common Market for Eastern and Southern Africa',
  XEC: 'Economic Community of West African States',
  XPO: 'International Criminal Police Organization',
  XES: 'Organisation of Eastern Caribbean States',
  XMP: 'Parliamentary Assembly of the Mediterranean',
  XOM: 'Sovereign Military Order of Malta',
  XDC: 'Southern African Development Community',
  XXA: 'Stateless person (1954 Convention)',
  XXB: 'Refugee (1951 Convention)',
  XXC: 'Refugee (other than the 1951 Convention)',
  XXX: 'Unspecified nationality',
  // Still met on documents in circulation, though no longer in ISO 3166-1.
  ANT: 'Netherlands Antilles',
  NTZ: 'Neutral Zone',
  // Issued by Kosovo and accepted by many states; not an ISO code.
  RKS: 'Kosovo',
};

const CODES: ReadonlySet<string> = new Set([
  ...ISO_3166_ALPHA3.split(/\s+/).filter(Boolean),
  ...Object.keys(ICAO_SPECIAL_CODES),
]);

/** Every code accepted as an issuing state or nationality, without filler. */
export const ICAO_STATE_CODES: readonly string[] = [...CODES].sort();

/** True for a known code; accepts the code as written in the zone (`D<<`) or without filler (`D`). */
export function isIcaoStateCode(code: string): boolean {
  return CODES.has(code.replace(/<+$/, ''));
}
