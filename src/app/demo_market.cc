// The demo's solidarity market (demo_market.h), as one journaled command:
// the producers added for the market, the labels, the catalog with its
// certifications, the seal committee's decisions and the seals they grant,
// then the two order cycles at A Cesta.

#include "app/demo_market.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/demo_accounts.h"
#include "app/demo_data.h"
#include "app/demo_governance.h"
#include "app/governance.h"
#include "app/import_members.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "app/repo/auth_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "market/price.h"

namespace agora::app::demo {

namespace {

namespace lg = agora::app::ledger;
namespace mk = agora::app::market;
using ::agora::market::FeeRates;

constexpr int64_t kMinuteUs = int64_t{60} * 1000000;
constexpr int64_t kHourUs = 60 * kMinuteUs;
constexpr int64_t kDayUs = 24 * kHourUs;
constexpr uint64_t kMarketSeed = 0x4D61726B6574446Dull;  // "MarketDm"

// ---- the calendar

// Days since 1970-01-01 of a civil date, and back (Hinnant's algorithms).
int64_t day_of(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m;
  unsigned d;
};

Civil civil(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

Timestamp at(int64_t day, int64_t hour, int64_t minute = 0) {
  return Timestamp{day * kDayUs + hour * kHourUs + minute * kMinuteUs};
}

// "do 3 ao 9 de novembro", "do 28 de outubro ao 3 de novembro".
std::string galician_span(int64_t from_day, int64_t to_day) {
  static constexpr std::string_view kMonths[] = {"xaneiro",  "febreiro", "marzo",    "abril",
                                                 "maio",     "xuño",     "xullo",    "agosto",
                                                 "setembro", "outubro",  "novembro", "decembro"};
  const Civil a = civil(from_day);
  const Civil b = civil(to_day);
  std::string out = "do " + std::to_string(a.d);
  if (a.m != b.m) out += " de " + std::string(kMonths[a.m - 1]);
  out += " ao " + std::to_string(b.d) + " de " + std::string(kMonths[b.m - 1]);
  return out;
}

// The votes and cycles sit around the day of loading, never before the end
// of the demo's history (as demo_governance.cc places its votes).
Timestamp earliest_today() { return parse_iso8601("2026-07-01T00:00:00Z"); }

// ---- the producers added for the market

struct NewOrgSpec {
  std::string_view kind;  // producer | worker
  std::string_view name;
  std::string_view slug;
  std::string_view territory;
  int64_t founded_day;
  int members;
};

const std::vector<NewOrgSpec>& new_orgs() {
  static const std::vector<NewOrgSpec> k = {
      {"producer", "Ovos Camperos da Ulloa S. Coop. Galega", "ovos-ulloa", "A Ulloa, Lugo",
       day_of(2019, 3, 18), 6},
      {"producer", "Adega Cooperativa do Ribeiro", "adega-ribeiro", "O Ribeiro, Ourense",
       day_of(2018, 9, 24), 9},
      {"worker", "Xabonaría Cooperativa Escuma", "xabonaria-escuma", "Ames, A Coruña",
       day_of(2021, 5, 10), 4},
  };
  return k;
}

// ---- labels: who makes it and where

struct ProducerSpec {
  std::string_view slug;
  std::string_view territory;  // where its products are made
  int64_t distance_km;         // to A Cesta's shop in Santiago
  std::string_view mark;       // the territory's identity mark
  std::string_view story;
};

const std::vector<ProducerSpec>& producer_specs() {
  static const std::vector<ProducerSpec> k = {
      {"hortas-do-ulla", "Val do Ulla, A Estrada", 25, "Val do Ulla · Terras de Compostela",
       "Once familias de labregas que deixaron de vender ao intermediario en 2012 e xuntaron "
       "as súas hortas na ribeira do Ulla. Cultivan en ecolóxico desde 2015, rotan os cultivos "
       "co gando das veciñas e reparten a colleita do día antes. Cobran todas o mesmo pola hora "
       "de traballo, e as decisións tómanse na asemblea dos xoves."},
      {"lacteos-terra-cha", "Terra Chá, Lugo", 95, "Reserva da Biosfera Terras do Miño",
       "Dezaseis granxas da Terra Chá que en 2014 montaron a súa propia planta para non "
       "depender do prezo que lles impuña a industria. As vacas pacen ao aire libre oito meses "
       "ao ano; o leite envásase en botellas de vidro que volven á planta. O queixo de San "
       "Simón afúmase con madeira de bidueiro, como facían as avoas."},
      {"mel-do-courel", "Serra do Courel, Lugo", 130, "Xeoparque Mundial UNESCO Montañas do Courel",
       "Oito apicultoras e apicultores que coidan 1.400 colmeas entre soutos e uces do Courel. "
       "Non alimentan as abellas con azucre nin trasladan as colmeas: cada mel é do lugar onde "
       "se colleita. Comparten a sala de extracción e o mel de cada colleita vende quen o fixo."},
      {"forno-de-sar", "Santiago de Compostela", 2, "Barrio de Sar, Santiago de Compostela",
       "A panadaría do barrio de Sar pechaba en 2020 e as súas seis traballadoras compraron o "
       "obradoiro coa axuda de A Cesta, que lles aluga o local. Fan pan de masa nai con fariña "
       "de trigo do país moída en Ordes, e cocen cada noite o que as socias encargaron."},
      {"ovos-ulloa", "A Ulloa, Lugo", 50, "Terras da Ulloa",
       "Seis granxas pequenas da Ulloa, con menos de mil galiñas cada unha, que saen ao prado "
       "todo o día e dormen en galiñeiros móbiles. Crían as súas propias pitas e dan millo e "
       "trigo que cultivan elas mesmas. Os ovos chegan á tenda dous días despois de postos."},
      {"adega-ribeiro", "O Ribeiro, Ourense", 110, "Denominación de Orixe Ribeiro",
       "Unha adega cooperativa de Ribadavia que reúne a nove familias viticultoras con "
       "socalcos de treixadura, caíño e brancellao. Vendimian a man, pagan a uva polo traballo "
       "que leva cada viña e non só polo quilo, e recuperaron viñas abandonadas nas ladeiras."},
      {"xabonaria-escuma", "Ames, A Coruña", 12, "Comarca de Santiago",
       "Catro mulleres que deixaron a limpeza industrial para facer os seus propios produtos: "
       "xabóns de aceite reciclado recollido nos bares do barrio, e deterxentes sen fosfatos "
       "nin perfumes de síntese. Enchen as botellas que lles devolven as socias."},
      {"olivareros-segura", "Sierra de Segura, Jaén", 880,
       "Parque Natural de las Sierras de Cazorla, Segura y Las Villas",
       "Veinte familias de olivareros de montaña, en olivares de más de cien años donde no entra "
       "el tractor. Molturan en su almazara cooperativa el mismo día de la cosecha y venden "
       "juntos para que ningún socio acepte el precio de ruina del mercado a granel."},
      {"azeite-de-moura", "Moura, Baixo Alentejo", 720, "Denominação de Origem Azeite de Moura",
       "Olivicultores de Moura e Serpa que mantêm o olival tradicional de sequeiro, com as "
       "variedades galega, cordovil e verdeal. O lagar é da cooperativa desde 1956 e o bagaço "
       "volta aos campos como adubo."},
      {"queseria-grazalema", "Sierra de Grazalema, Cádiz", 950,
       "Reserva de la Biosfera Sierra de Grazalema",
       "Cabreras y pastores de la sierra que salvaron la cabra payoya juntando sus rebaños en "
       "una quesería cooperativa. Las cabras pastan en el monte todo el año y el queso se hace "
       "con leche cruda del día."},
      {"queijo-de-serpa", "Serpa, Baixo Alentejo", 750, "Denominação de Origem Queijo Serpa",
       "Pastores de ovelha merina que fazem o queijo de Serpa como sempre: leite cru, cardo e "
       "sal, curado em caves frescas. A cooperativa garante o escoamento a preço justo a quem "
       "tem poucas ovelhas."},
      {"vinhos-cavado", "Vale do Cávado, Braga", 200, "Região Demarcada dos Vinhos Verdes",
       "Pequenos viticultores do vale do Cávado que vinificam juntos loureiro e alvarinho desde "
       "1962. A vindima é à mão e a adega paga a uva acima da tabela da região."},
      {"huerta-viva-vega", "Vega de Granada", 1000, "Vega de Granada",
       "Hortelanos de la Vega que resistieron a la urbanización de sus tierras y cultivan en "
       "ecológico legumbres y ajos de variedades locales, con semillas que guardan ellos mismos."},
      {"horticolas-douro", "Douro, Portugal", 250, "Alto Douro Vinhateiro, Património Mundial",
       "Famílias de socalcos do Douro que, entre as vinhas, cuidam amendoeiras e laranjeiras "
       "antigas. A cooperativa parte, seca e embala a amêndoa na aldeia."},
      {"leite-do-minho", "Minho, Portugal", 160, "Alto Minho",
       "Produtores de leite do Alto Minho com explorações familiares de vinte vacas em média, "
       "que recolhem e transformam o leite na sua própria cooperativa."},
      {"espiga-de-triana", "Sevilla", 950, "Barrio de Triana, Sevilla",
       "Panaderas y panaderos de Triana que recuperaron el horno del barrio en cooperativa. "
       "Pan de masa madre, teleras y regañás, con harina de trigos antiguos de la campiña."},
      {"padaria-pao-de-centeio", "Porto", 230, "Porto",
       "Padeiros do Porto que fazem pão de centeio e broa de milho em forno de lenha, numa "
       "padaria que a Mercearia Cooperativa lhes arrenda."},
      {"padaria-rossio", "Évora", 700, "Évora, Património Mundial",
       "A padaria do Rossio coze o pão alentejano de massa mãe numa casa que a Évora Coop "
       "comprou para que o forno não fechasse."},
  };
  return k;
}

// ---- the catalog

struct VariantSpec {
  std::string_view name;
  std::string_view unit;  // UNECE code
  int64_t net_milli;      // thousandths of the unit in one ordered unit
  int64_t case_size;
  int64_t producer_price;  // the producer's part, minor units per ordered unit
};

struct CertSpec {
  std::string_view name;
  std::string_view certifier;
  std::string_view reference;
  std::string_view granted_on;
  std::string_view expires_on;  // empty: no expiry
};

// Sealed: granted by the committee and live; Withdrawn: granted, then withdrawn.
enum class Seal { none, sealed, withdrawn };

struct ProductSpec {
  std::string_view producer;  // slug
  std::string_view name;
  std::string_view description;
  std::string_view category;
  std::string_view packaging;
  int64_t tax_bps;
  std::vector<VariantSpec> variants;
  std::vector<CertSpec> certs;
  Seal seal;
};

// Certifications used on several products.
const CertSpec kCraega{"Agricultura ecolóxica (UE)",
                       "CRAEGA, Consello Regulador da Agricultura Ecolóxica de Galicia",
                       "ES-ECO-022-GA", "2025-03-01", "2027-02-28"};
const CertSpec kMelGalicia{"IXP Mel de Galicia", "Consello Regulador IXP Mel de Galicia", "MG-0412",
                           "2025-06-15", "2027-06-14"};
const CertSpec kRibeiro{"DO Ribeiro", "Consello Regulador da DO Ribeiro", "RIB-1187", "2025-10-01",
                        "2027-12-31"};
const CertSpec kEcolabel{"Etiqueta ecolóxica da UE (EU Ecolabel)",
                         "Organismo competente de Galicia", "ES-GA/019/00031", "2024-11-20",
                         "2027-11-19"};
const CertSpec kSegura{"DOP Sierra de Segura", "Consejo Regulador DOP Sierra de Segura",
                       "SS-2025-0233", "2025-11-10", "2027-11-09"};
const CertSpec kCaae{"Agricultura ecológica (UE)", "CAAE, Comité Andaluz de Agricultura Ecológica",
                     "ES-ECO-001-AN", "2025-04-01", "2027-03-31"};
const CertSpec kMoura{"DOP Azeite de Moura", "CERTIS, Controlo e Certificação", "DOP-MOU-0091",
                      "2025-12-01", "2027-11-30"};
const CertSpec kVinhoVerde{"DOC Vinho Verde", "Comissão de Viticultura da Região dos Vinhos Verdes",
                           "VV-33810", "2025-09-01", "2027-08-31"};

const std::vector<ProductSpec>& product_specs() {
  using V = VariantSpec;
  static const std::vector<ProductSpec> k = {
      // Hortas do Ulla: vegetables and fruit, organic.
      {"hortas-do-ulla",
       "Grelos",
       "Grelos de nabiza colleitos a man o día antes do reparto, en mazos atados con xunco.",
       "vegetables/leafy",
       "compostable",
       400,
       {V{"Mazo de 1 kg", "KGM", 1000, 1, 150}, V{"Mazo de 500 g", "GRM", 500000, 1, 80}},
       {kCraega,
        {"IXP Grelos de Galicia", "Consello Regulador IXP Grelos de Galicia", "GG-0077",
         "2025-01-10", "2027-01-09"}},
       Seal::sealed},
      {"hortas-do-ulla",
       "Pementos de Herbón",
       "Pementos da variedade de Herbón, coma os de Padrón: uns pican e outros non.",
       "vegetables",
       "compostable",
       400,
       {V{"Bolsa de 250 g", "GRM", 250000, 1, 120}},
       {{"DOP Pemento de Herbón", "Consello Regulador DOP Pemento de Herbón", "PH-0154",
         "2025-05-02", "2027-12-31"}},
       Seal::none},
      {"hortas-do-ulla",
       "Patacas do país",
       "Pataca kennebec, boa para cocer e para o caldo; terra pegada, sen lavar.",
       "vegetables",
       "returnable",
       400,
       {V{"Saco de 5 kg", "KGM", 5000, 1, 300}, V{"Quilo", "KGM", 1000, 1, 65}},
       {{"IXP Pataca de Galicia", "Consello Regulador IXP Pataca de Galicia", "PG-0320",
         "2025-07-01", "2027-06-30"}},
       Seal::none},
      {"hortas-do-ulla",
       "Cebolas",
       "Cebola de Oroso, doce, curada ao aire no hórreo.",
       "vegetables",
       "none",
       400,
       {V{"Quilo", "KGM", 1000, 1, 75}, V{"Ristra de 3 kg", "KGM", 3000, 1, 200}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Verza galega",
       "Verza de folla rizada, para o cocido e as empanadas.",
       "vegetables/leafy",
       "none",
       400,
       {V{"Peza (1,5 kg aprox.)", "H87", 1000, 1, 100}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Porros",
       "Porros grosos de inverno.",
       "vegetables",
       "none",
       400,
       {V{"Mazo de tres", "H87", 1000, 1, 110}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Cenorias",
       "Cenoria laranxa e morada, con rama.",
       "vegetables",
       "none",
       400,
       {V{"Quilo", "KGM", 1000, 1, 90}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Cabaza",
       "Cabaza de cacahuete, para cremas e bizcochos.",
       "vegetables",
       "none",
       400,
       {V{"Cabaza enteira (2-3 kg)", "H87", 1000, 1, 250}, V{"Anaco de 1 kg", "KGM", 1000, 1, 110}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Leitugas",
       "Leituga de folla de carballo e romana, segundo o día.",
       "vegetables/leafy",
       "none",
       400,
       {V{"Peza", "H87", 1000, 1, 60}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Nabos",
       "Nabo branco do país, para o caldo.",
       "vegetables",
       "none",
       400,
       {V{"Quilo", "KGM", 1000, 1, 80}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Castañas",
       "Castaña longal dos soutos da ribeira, seleccionada a man.",
       "fruit",
       "compostable",
       400,
       {V{"Quilo", "KGM", 1000, 1, 300}},
       {},
       Seal::none},
      {"hortas-do-ulla",
       "Mazás reineta",
       "Mazá reineta de árbores vellas, sen tratamentos.",
       "fruit",
       "none",
       400,
       {V{"Quilo", "KGM", 1000, 1, 130}, V{"Caixa de 5 kg", "KGM", 5000, 1, 600}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Kiwis",
       "Kiwi hayward da ribeira do Ulla, colleito en novembro.",
       "fruit",
       "none",
       400,
       {V{"Quilo", "KGM", 1000, 1, 180}},
       {kCraega},
       Seal::none},
      {"hortas-do-ulla",
       "Fabas do país",
       "Faba branca seca da colleita deste ano.",
       "pantry/pulses",
       "compostable",
       400,
       {V{"Bolsa de 500 g", "GRM", 500000, 1, 380}},
       {kCraega},
       Seal::none},

      // Lácteos Terra Chá: milk in returnable glass, yoghurt, cheese.
      {"lacteos-terra-cha",
       "Leite enteira fresca",
       "Leite pasteurizada a baixa temperatura, sen homoxeneizar: a nata sobe.",
       "dairy/milk",
       "returnable",
       400,
       {V{"Botella de 1 l", "LTR", 1000, 6, 80}, V{"Botella de 2 l", "LTR", 2000, 4, 150}},
       {kCraega},
       Seal::sealed},
      {"lacteos-terra-cha",
       "Leite semidesnatada",
       "Leite fresca semidesnatada.",
       "dairy/milk",
       "returnable",
       400,
       {V{"Botella de 1 l", "LTR", 1000, 6, 76}},
       {kCraega},
       Seal::none},
      {"lacteos-terra-cha",
       "Iogur natural",
       "Iogur de leite enteira, sen azucre nin leite en po engadido.",
       "dairy/yoghurt",
       "plastic",
       400,
       {V{"Pack de 4 × 125 g", "GRM", 500000, 6, 150},
        V{"Tarro de vidro de 500 g", "GRM", 500000, 6, 170}},
       {kCraega},
       Seal::withdrawn},
      {"lacteos-terra-cha",
       "Queixo San Simón da Costa",
       "Queixo afumado con bidueiro, en forma de bala, curado dous meses.",
       "dairy/cheese",
       "compostable",
       400,
       {V{"Peza de 1 kg aprox.", "KGM", 1000, 1, 1150},
        V{"Peza pequena de 500 g", "GRM", 500000, 1, 620}},
       {{"DOP San Simón da Costa", "Consello Regulador DOP San Simón da Costa", "SSC-0208",
         "2025-02-01", "2027-01-31"}},
       Seal::none},
      {"lacteos-terra-cha",
       "Queixo do país tenro",
       "Queixo tenro de vaca, de sabor suave.",
       "dairy/cheese",
       "compostable",
       400,
       {V{"Peza de 800 g", "GRM", 800000, 1, 590}},
       {},
       Seal::none},
      {"lacteos-terra-cha",
       "Manteiga",
       "Manteiga de nata madurada, con sal.",
       "dairy/butter",
       "compostable",
       400,
       {V{"Tarrina de 250 g", "GRM", 250000, 1, 250}},
       {kCraega},
       Seal::none},
      {"lacteos-terra-cha",
       "Requeixo",
       "Queixo fresco batido, para comer con mel.",
       "dairy/cheese",
       "recyclable",
       400,
       {V{"Tarro de 500 g", "GRM", 500000, 1, 230}},
       {},
       Seal::none},
      {"lacteos-terra-cha",
       "Nata fresca",
       "Nata para montar, 35 % de materia graxa.",
       "dairy/milk",
       "returnable",
       400,
       {V{"Botella de 250 ml", "MLT", 250000, 1, 140}},
       {},
       Seal::none},

      // Mel da Serra do Courel.
      {"mel-do-courel",
       "Mel de castiñeiro",
       "Mel escuro e forte dos soutos do Courel.",
       "honey",
       "recyclable",
       1000,
       {V{"Tarro de 500 g", "GRM", 500000, 6, 600}, V{"Tarro de 1 kg", "KGM", 1000, 6, 1120}},
       {kMelGalicia},
       Seal::sealed},
      {"mel-do-courel",
       "Mel de uz",
       "Mel de uz (breixo), avermellado e pouco doce.",
       "honey",
       "recyclable",
       1000,
       {V{"Tarro de 500 g", "GRM", 500000, 6, 660}},
       {kMelGalicia},
       Seal::none},
      {"mel-do-courel",
       "Mel de mil flores",
       "Mel claro de primavera.",
       "honey",
       "recyclable",
       1000,
       {V{"Tarro de 250 g", "GRM", 250000, 1, 300}},
       {kMelGalicia},
       Seal::none},
      {"mel-do-courel",
       "Pole de abella",
       "Pole fresco secado a baixa temperatura.",
       "honey",
       "recyclable",
       1000,
       {V{"Tarro de 250 g", "GRM", 250000, 1, 550}},
       {},
       Seal::none},

      // O Forno de Sar: bread of the night before.
      {"forno-de-sar",
       "Pan de masa nai",
       "Bolo de trigo do país e masa nai, fermentado 24 horas e cocido en forno de pedra.",
       "bakery/bread",
       "compostable",
       400,
       {V{"Bolo de 1 kg", "KGM", 1000, 1, 230}, V{"Medio bolo (500 g)", "GRM", 500000, 1, 125}},
       {kCraega},
       Seal::sealed},
      {"forno-de-sar",
       "Pan de centeo",
       "Pan de centeo do Courel, denso e de longa duración.",
       "bakery/bread",
       "compostable",
       400,
       {V{"Peza de 800 g", "GRM", 800000, 1, 230}},
       {},
       Seal::none},
      {"forno-de-sar",
       "Broa de millo",
       "Broa de millo corvo e centeo, como a das feiras.",
       "bakery/bread",
       "compostable",
       400,
       {V{"Peza de 750 g", "GRM", 750000, 1, 240}},
       {},
       Seal::none},
      {"forno-de-sar",
       "Pan integral de espelta",
       "Pan de espelta integral con sementes.",
       "bakery/bread",
       "compostable",
       400,
       {V{"Peza de 750 g", "GRM", 750000, 1, 270}},
       {kCraega},
       Seal::none},
      {"forno-de-sar",
       "Empanada de xoubas",
       "Empanada de masa de millo con xoubas e pementos.",
       "bakery/empanadas",
       "compostable",
       400,
       {V{"Empanada enteira (1,2 kg)", "H87", 1000, 1, 1300}, V{"Porción", "H87", 1000, 1, 230}},
       {},
       Seal::none},
      {"forno-de-sar",
       "Empanada de bacallau con pasas",
       "Empanada de masa de trigo con bacallau, pasas e cebola de Oroso.",
       "bakery/empanadas",
       "compostable",
       400,
       {V{"Empanada enteira (1,2 kg)", "H87", 1000, 1, 1450}},
       {},
       Seal::none},
      {"forno-de-sar",
       "Bica compostelá",
       "Bica de manteiga da Terra Chá, sen fermento.",
       "bakery/pastry",
       "compostable",
       400,
       {V{"Bica de 600 g", "H87", 1000, 1, 520}},
       {},
       Seal::none},
      {"forno-de-sar",
       "Torta de Santiago",
       "Torta de améndoa, ovo e azucre, sen fariña.",
       "bakery/pastry",
       "compostable",
       400,
       {V{"Torta de 500 g", "GRM", 500000, 1, 880}},
       {{"IXP Tarta de Santiago", "Consello Regulador IXP Tarta de Santiago", "TS-0061",
         "2025-09-15", "2027-09-14"}},
       Seal::none},
      {"forno-de-sar",
       "Galletas de avea e mel",
       "Galletas de avea co mel do Courel.",
       "bakery/pastry",
       "compostable",
       400,
       {V{"Bolsa de 250 g", "GRM", 250000, 1, 210}},
       {},
       Seal::none},

      // Ovos Camperos da Ulloa.
      {"ovos-ulloa",
       "Ovos camperos",
       "Ovos de galiñas que saen ao prado todo o día, de menos de mil galiñas por granxa.",
       "eggs",
       "compostable",
       400,
       {V{"Ducia", "H87", 12000, 1, 250}, V{"Media ducia", "H87", 6000, 1, 130}},
       {},
       Seal::none},
      {"ovos-ulloa",
       "Ovos ecolóxicos",
       "Ovos de galiñas alimentadas con millo e trigo propios.",
       "eggs",
       "compostable",
       400,
       {V{"Ducia", "H87", 12000, 1, 320}},
       {kCraega},
       Seal::sealed},
      {"ovos-ulloa",
       "Galiña campeira para caldo",
       "Galiña de posta de dous anos, limpa e lista para o caldo.",
       "meat/poultry",
       "compostable",
       1000,
       {V{"Peza (2 kg aprox.)", "H87", 1000, 1, 1150}},
       {},
       Seal::none},

      // Adega Cooperativa do Ribeiro.
      {"adega-ribeiro",
       "Ribeiro branco Treixadura",
       "Viño branco de treixadura e godello, de socalcos de Ribadavia.",
       "wine/white",
       "returnable",
       2100,
       {V{"Botella de 75 cl", "LTR", 750, 6, 400}},
       {kRibeiro},
       Seal::sealed},
      {"adega-ribeiro",
       "Ribeiro tinto Caíño e Brancellao",
       "Tinto lixeiro de castes autóctonas recuperadas.",
       "wine/red",
       "returnable",
       2100,
       {V{"Botella de 75 cl", "LTR", 750, 6, 480}},
       {kRibeiro},
       Seal::none},
      {"adega-ribeiro",
       "Viño do ano",
       "Branco novo da adega, para o día a día.",
       "wine/white",
       "recyclable",
       2100,
       {V{"Caixa de 3 l", "LTR", 3000, 4, 760}},
       {},
       Seal::none},
      {"adega-ribeiro",
       "Augardente de bagazo",
       "Augardente do bagazo da propia adega.",
       "wine/spirits",
       "returnable",
       2100,
       {V{"Botella de 70 cl", "LTR", 700, 6, 900}},
       {{"IXP Augardente de Galicia",
         "Consello Regulador das Augardentes e Licores Tradicionais de Galicia", "AG-0520",
         "2025-03-20", "2027-03-19"}},
       Seal::none},

      // Xabonaría Cooperativa Escuma: cleaning products, refills.
      {"xabonaria-escuma",
       "Xabón de aceite",
       "Xabón feito con aceite usado dos bares do barrio, sen perfume.",
       "cleaning/soap",
       "compostable",
       2100,
       {V{"Pastilla de 150 g", "GRM", 150000, 1, 150}},
       {},
       Seal::none},
      {"xabonaria-escuma",
       "Deterxente para a roupa",
       "Deterxente líquido sen fosfatos nin perfumes de síntese; devolve a botella baleira.",
       "cleaning/laundry",
       "returnable",
       2100,
       {V{"Recarga de 1 l", "LTR", 1000, 1, 220}, V{"Garrafa de 5 l", "LTR", 5000, 1, 900}},
       {kEcolabel},
       Seal::sealed},
      {"xabonaria-escuma",
       "Lavalouzas",
       "Lavalouzas concentrado de aceite de oliva e limón.",
       "cleaning/dishes",
       "returnable",
       2100,
       {V{"Recarga de 1 l", "LTR", 1000, 1, 200}},
       {kEcolabel},
       Seal::none},
      {"xabonaria-escuma",
       "Limpador multiusos",
       "Vinagre, xabón e aceite esencial de piñeiro.",
       "cleaning",
       "returnable",
       2100,
       {V{"Pulverizador de 750 ml", "MLT", 750000, 1, 180}},
       {},
       Seal::none},
      {"xabonaria-escuma",
       "Xabón líquido de mans",
       "Xabón de mans con aloe.",
       "cleaning/soap",
       "returnable",
       2100,
       {V{"Dosificador de 500 ml", "MLT", 500000, 1, 230}},
       {},
       Seal::none},

      // From the rest of the federation: oil, cheese, wine, pantry.
      {"olivareros-segura",
       "Aceite de oliva virgen extra picual",
       "Picual de olivar de montaña, molturado el mismo día de la cosecha, sin filtrar.",
       "oil",
       "recyclable",
       1000,
       {V{"Lata de 5 l", "LTR", 5000, 4, 2250}, V{"Botella de 1 l", "LTR", 1000, 6, 520},
        V{"Botella de 500 ml", "MLT", 500000, 6, 290}},
       {kSegura, kCaae},
       Seal::sealed},
      {"olivareros-segura",
       "Aceitunas aliñadas",
       "Aceituna partida aliñada con tomillo, ajo y cáscara de naranja.",
       "pantry",
       "recyclable",
       1000,
       {V{"Tarro de 500 g", "GRM", 500000, 6, 210}},
       {kCaae},
       Seal::none},
      {"azeite-de-moura",
       "Azeite virgem extra DOP Moura",
       "Azeite de galega, cordovil e verdeal, frutado e picante.",
       "oil",
       "recyclable",
       1000,
       {V{"Garrafa de 75 cl", "LTR", 750, 6, 560}, V{"Lata de 3 l", "LTR", 3000, 4, 1950}},
       {kMoura},
       Seal::none},
      {"queseria-grazalema",
       "Queso payoyo curado",
       "Queso de leche cruda de cabra payoya, curado seis meses.",
       "dairy/cheese",
       "compostable",
       400,
       {V{"Cuña de 250 g", "GRM", 250000, 1, 420}, V{"Pieza de 1 kg", "KGM", 1000, 1, 1550}},
       {},
       Seal::none},
      {"queseria-grazalema",
       "Queso de cabra semicurado",
       "Queso semicurado de cabra payoya.",
       "dairy/cheese",
       "compostable",
       400,
       {V{"Pieza de 500 g", "GRM", 500000, 1, 690}},
       {},
       Seal::none},
      {"queijo-de-serpa",
       "Queijo de Serpa",
       "Queijo de ovelha de leite cru, amanteigado.",
       "dairy/cheese",
       "compostable",
       400,
       {V{"Queijo de 1 kg", "KGM", 1000, 1, 1450}, V{"Queijinho de 250 g", "GRM", 250000, 1, 450}},
       {{"DOP Queijo Serpa", "CERTIS, Controlo e Certificação", "DOP-SER-0044", "2025-01-15",
         "2027-01-14"}},
       Seal::none},
      {"vinhos-cavado",
       "Vinho Verde Loureiro",
       "Branco fresco de loureiro, pouco álcool.",
       "wine/white",
       "recyclable",
       2100,
       {V{"Garrafa de 75 cl", "LTR", 750, 6, 330}},
       {kVinhoVerde},
       Seal::none},
      {"vinhos-cavado",
       "Alvarinho",
       "Alvarinho de vinhas velhas do Cávado.",
       "wine/white",
       "recyclable",
       2100,
       {V{"Garrafa de 75 cl", "LTR", 750, 6, 560}},
       {kVinhoVerde},
       Seal::none},
      {"huerta-viva-vega",
       "Ajos morados",
       "Ajo morado de semilla propia, en ristra.",
       "vegetables",
       "none",
       400,
       {V{"Ristra de 1 kg", "KGM", 1000, 1, 380}},
       {kCaae},
       Seal::none},
      {"huerta-viva-vega",
       "Garbanzos",
       "Garbanzo castellano de secano, de la cosecha de julio.",
       "pantry/pulses",
       "compostable",
       400,
       {V{"Bolsa de 1 kg", "KGM", 1000, 1, 260}},
       {kCaae},
       Seal::none},
      {"horticolas-douro",
       "Amêndoa do Douro",
       "Amêndoa descascada das amendoeiras dos socalcos.",
       "pantry/nuts",
       "compostable",
       400,
       {V{"Saco de 500 g", "GRM", 500000, 1, 600}},
       {{"Agricultura biológica (UE)", "Ecocert Portugal", "PT-BIO-03-2211", "2023-01-01",
         "2025-12-31"}},
       Seal::none},
      {"horticolas-douro",
       "Laranja do Douro",
       "Laranja doce de laranjeiras antigas.",
       "fruit",
       "none",
       400,
       {V{"Quilo", "KGM", 1000, 1, 120}},
       {},
       Seal::none},
      {"leite-do-minho",
       "Queijo fresco do Minho",
       "Queijo fresco de vaca, para comer no dia.",
       "dairy/cheese",
       "recyclable",
       400,
       {V{"Queijo de 200 g", "GRM", 200000, 1, 170}},
       {},
       Seal::none},
  };
  return k;
}

// The catalog's reference breakdown of a product's variants: the transport
// grows with the distance; packing, the co-op's margin and the fund are the
// federation's usual rates; tax by the kind of product.
FeeRates catalog_rates(int64_t distance_km, int64_t tax_bps) {
  FeeRates r;
  r.transport_bps = distance_km <= 30    ? 150
                    : distance_km <= 150 ? 400
                    : distance_km <= 400 ? 700
                                         : 1000;
  r.packing_per_unit = 8;
  r.margin_bps = 1000;
  r.fund_bps = 200;
  r.tax_bps = tax_bps;
  return r;
}

// The fees of A Cesta's cycles: transport and packing by the co-op, its
// margin, the investment fund's share and tax.
FeeRates cycle_rates() {
  FeeRates r;
  r.transport_bps = 300;
  r.packing_per_unit = 10;
  r.margin_bps = 1000;
  r.fund_bps = 200;
  r.tax_bps = 1000;
  return r;
}

// A constitution for the orgs added here: the example of their kind, as
// every demo org has, retitled with the org's name.
std::string titled(std::string_view toml, const std::string& org_name) {
  size_t pos = 0;
  while (pos < toml.size()) {
    size_t end = toml.find('\n', pos);
    if (end == std::string_view::npos) end = toml.size();
    if (toml.substr(pos, end - pos).starts_with("name = ")) {
      return std::string(toml.substr(0, pos)) +
             "name = " + Json(org_name + ": rules of governance").dump() +
             std::string(toml.substr(end));
    }
    pos = end + 1;
  }
  AGORA_ASSERT(false);  // every example opens with its name
  return {};
}

struct Offered {
  int64_t offer_id = 0;
  int64_t variant_id = 0;
  int64_t price = 0;
  int64_t producer_part = 0;
  int64_t case_size = 1;
  std::string producer;  // slug
  std::string product;   // name
  std::optional<int64_t> max_units;
  int64_t ordered = 0;  // quantity + tolerance placed so far
};

struct PointIds {
  int64_t shop = 0;
  int64_t conxo = 0;
  int64_t bike = 0;
  std::map<int64_t, int64_t> fee;
};

class MarketLoader {
 public:
  MarketLoader(store::Tx& tx, const Ctx& ctx, DemoReport& totals)
      : tx_(tx), system_(Actor::system()), totals_(totals), rng_(kMarketSeed) {
    const int64_t day_start = ctx.now.us / kDayUs * kDayUs;
    today_ = std::max(day_start, earliest_today().us) / kDayUs;
  }

  MarketReport run() {
    load_orgs();
    load_people();
    add_producers();
    profiles();
    catalog();
    seal_committee();
    seals();
    past_cycle();
    open_cycle();
    regional_cycles();
    return report_;
  }

 private:
  // ---- who and where

  void load_orgs() {
    for (const auto& root : repo::list_roots(tx_, 0, 100)) {
      if (!national_) national_ = root.id;
      for (const auto& node : repo::subtree(tx_, root.id, 16, 100000)) {
        const auto row = repo::find_org(tx_, node.id);
        AGORA_ASSERT(row.has_value());
        slugs_[row->slug] = node.id;
      }
    }
    AGORA_ASSERT(national_ > 0);
  }

  int64_t org(std::string_view slug) const {
    const auto it = slugs_.find(std::string(slug));
    AGORA_ASSERT(it != slugs_.end());
    return it->second;
  }

  void load_people() {
    const auto admin = repo::find_account_by_email(tx_, kDemoAdminEmail);
    const auto coordinator = repo::find_account_by_email(tx_, kDemoCoordinatorEmail);
    const auto member = repo::find_account_by_email(tx_, kDemoMemberEmail);
    AGORA_ASSERT(admin && coordinator && member);
    admin_account_ = admin->id;
    coordinator_ = Actor{.account_id = coordinator->id,
                         .person_id = coordinator->person_id,
                         .admin = false,
                         .address = "demo"};
    member_ = Actor{.account_id = member->id,
                    .person_id = member->person_id,
                    .admin = false,
                    .address = "demo"};
    cesta_ = org("a-cesta-santiago");
    vigo_ = org("vigo-consume");
  }

  // A demo person acting with the platform's rights (they have no login).
  Actor as_person(int64_t person_id) const {
    return Actor{
        .account_id = admin_account_, .person_id = person_id, .admin = true, .address = "demo"};
  }

  std::vector<repo::MembershipRow> active_persons(int64_t org_id) {
    std::vector<repo::MembershipRow> out;
    int64_t after = 0;
    for (;;) {
      auto page = repo::list_memberships(tx_, org_id, "active", after, 200);
      if (page.empty()) break;
      after = page.back().id;
      for (auto& m : page) {
        if (m.person_id) out.push_back(std::move(m));
      }
    }
    return out;
  }

  // Who acts for the org: its coordinator (the demo gives each co-op one,
  // its first member), or its longest-standing active member when that
  // coordinator has since left.
  int64_t coordinator_of(int64_t org_id) {
    const auto it = coordinators_.find(org_id);
    if (it != coordinators_.end()) return it->second;
    const std::vector<repo::MembershipRow> members = active_persons(org_id);
    AGORA_ASSERT(!members.empty());
    int64_t who = *members.front().person_id;
    for (const auto& m : members) {
      if (repo::active_grant_exists(tx_, *m.person_id, org_id, "coordinator")) {
        who = *m.person_id;
        break;
      }
    }
    coordinators_[org_id] = who;
    return who;
  }

  Actor producer_actor(std::string_view slug) { return as_person(coordinator_of(org(slug))); }

  // ---- the producers added for the market, through the registry

  void add_producers() {
    const int64_t galicia = org("galicia");
    std::set<std::string> emails;
    for (const NewOrgSpec& spec : new_orgs()) {
      const Timestamp founded = at(spec.founded_day, 11);
      const Ctx c{system_, founded};
      OrgInput in;
      in.parent_id = galicia;
      in.kind = std::string(spec.kind);
      in.name = std::string(spec.name);
      in.slug = std::string(spec.slug);
      in.territory = std::string(spec.territory);
      in.admission = "coordinator";
      in.currency = "EUR";
      const int64_t id = create_org(tx_, c, in).at("id").get<int64_t>();
      slugs_[std::string(spec.slug)] = id;
      const bool worker = spec.kind == "worker";
      const std::string code = worker ? "worker" : "producer";
      const int64_t price = worker ? 50000 : 25000;
      const int64_t min_shares = worker ? 4 : 2;
      create_class(tx_, c, id,
                   ClassInput{.code = code,
                              .name = worker ? "Socia/o traballador/a" : "Socia/o produtor/a",
                              .share_price_minor = price,
                              .min_shares = min_shares});
      ++report_.orgs;
      ++totals_.orgs;
      if (worker) {
        ++totals_.worker_coops;
      } else {
        ++totals_.producer_coops;
      }

      // The founders and those who joined since, paid in full; the first
      // coordinates the co-op.
      for (int i = 0; i < spec.members; ++i) {
        const PersonName n = make_name(rng_, Culture::galician);
        const std::string given = n.given_name.substr(0, n.given_name.find(' '));
        const std::string family = n.family_name.substr(0, n.family_name.find(' '));
        const std::string local = ascii_fold(given) + "." + ascii_fold(family);
        std::string email = local + "@produtoras.example";
        for (int k = 2; !emails.insert(email).second; ++k) {
          email = local + std::to_string(k) + "@produtoras.example";
        }
        const int64_t joined = spec.founded_day + (i < 3 ? 1 : rng_.between(60, 1500));
        PersonInput p;
        p.given_name = n.given_name;
        p.family_name = n.family_name;
        p.email = email;
        p.phone = make_phone(rng_, Culture::galician);
        p.locale = "es";
        const int64_t person = create_person(tx_, Ctx{system_, at(joined, 10)}, p);
        ++totals_.persons;
        const int64_t shares = min_shares + (rng_.chance(30) ? rng_.between(1, 4) : 0);
        Enrolment e;
        e.person_id = person;
        e.class_code = code;
        e.shares = shares;
        e.paid_minor = shares * price;
        e.instalments = 1;
        e.applied_at = at(joined, 10, 30);
        e.admitted_at = at(joined + rng_.between(3, 15), 19);
        enrol_member(tx_, c, id, e);
        ++totals_.memberships;
        ++totals_.active;
        totals_.subscribed_minor += shares * price;
        totals_.paid_minor += shares * price;
        if (i == 0) {
          grant_role(tx_, person, id, "coordinator", admin_account_, at(day_of(2026, 6, 30), 12));
          coordinators_[id] = person;
        }
      }

      // The same rules of governance as every demo co-op of its kind.
      found_constitution(tx_, Ctx{system_, parse_iso8601("2026-01-15T10:00:00Z")}, id,
                         titled(example_constitution(spec.kind), std::string(spec.name)));

      // It joins the Galician federation this year.
      Enrolment f;
      f.member_org_id = id;
      f.class_code = "coop";
      f.shares = 2;
      f.paid_minor = 2 * 10000;
      f.instalments = 1;
      f.applied_at = at(day_of(2026, 2, 2) + static_cast<int64_t>(report_.orgs), 10);
      f.admitted_at = at(day_of(2026, 2, 23), 19);
      enrol_member(tx_, Ctx{system_, f.applied_at}, galicia, f);
      ++totals_.memberships;
      ++totals_.org_memberships;
      ++totals_.active;
      totals_.subscribed_minor += 2 * 10000;
      totals_.paid_minor += 2 * 10000;
    }
  }

  // ---- labels

  void profiles() {
    const Timestamp when = at(day_of(2026, 2, 9), 10);
    for (const ProducerSpec& p : producer_specs()) {
      const int64_t id = org(p.slug);
      mk::ProducerInput in;
      in.story = std::string(p.story);
      in.territory_mark = std::string(p.mark);
      mk::set_producer(tx_, Ctx{as_person(coordinator_of(id)), when}, id, in);
      producers_[std::string(p.slug)] = &p;
      ++report_.producers;
    }
  }

  void catalog() {
    int64_t minute = 0;
    for (const ProductSpec& spec : product_specs()) {
      const ProducerSpec& producer = *producers_.at(std::string(spec.producer));
      const Timestamp when = at(day_of(2026, 2, 16), 9, minute++);
      const Actor who = producer_actor(spec.producer);
      mk::ProductInput in;
      in.producer_org_id = org(spec.producer);
      in.name = std::string(spec.name);
      in.description = std::string(spec.description);
      in.category = std::string(spec.category);
      in.territory = std::string(producer.territory);
      in.distance_km = producer.distance_km;
      in.packaging = std::string(spec.packaging);
      in.currency = "EUR";
      const FeeRates rates = catalog_rates(producer.distance_km, spec.tax_bps);
      for (const VariantSpec& v : spec.variants) {
        mk::VariantInput vi;
        vi.name = std::string(v.name);
        vi.unit_code = std::string(v.unit);
        vi.net_milli = v.net_milli;
        vi.case_size = v.case_size;
        vi.breakdown = ::agora::market::apply_rates(v.producer_price, rates);
        vi.price = vi.breakdown.total();
        vi.active = true;
        in.variants.push_back(std::move(vi));
      }
      const Json product = mk::create_product(tx_, Ctx{who, when}, in);
      const int64_t product_id = product.at("id").get<int64_t>();
      ++report_.products;
      for (const Json& v : product.at("variants")) {
        variants_.push_back(VariantRef{v.at("id").get<int64_t>(), product_id,
                                       std::string(spec.producer), std::string(spec.name),
                                       v.at("case_size").get<int64_t>(),
                                       v.at("breakdown").at("producer").get<int64_t>()});
        ++report_.variants;
      }
      for (const CertSpec& cert : spec.certs) {
        mk::CertificationInput ci;
        ci.name = std::string(cert.name);
        ci.certifier = std::string(cert.certifier);
        ci.reference = std::string(cert.reference);
        ci.granted_on = std::string(cert.granted_on);
        if (!cert.expires_on.empty()) ci.expires_on = std::string(cert.expires_on);
        mk::add_certification(tx_, Ctx{who, Timestamp{when.us + kMinuteUs / 2}}, product_id, ci);
        ++report_.certifications;
      }
      if (spec.seal != Seal::none) sealed_.emplace_back(product_id, &spec);
    }
  }

  // ---- the seal committee of the Federación Ibérica

  void seal_committee() {
    // Five seats: the demo coordinator and coordinators of co-ops in the
    // other regions and trades (appointed by the federation's council).
    committee_ = {coordinator_.person_id, coordinator_of(org("la-alacena-sevilla")),
                  coordinator_of(org("mercearia-porto")), coordinator_of(org("evora-coop")),
                  coordinator_of(org("olivareros-segura"))};
    const Actor chair = as_person(coordinator_.person_id);
    int64_t minute = 0;
    for (int64_t person : committee_) {
      appoint_seat(tx_, Ctx{chair, at(day_of(2026, 2, 2), 12, minute++)}, national_,
                   "seal_committee", person, "");
    }
  }

  // One decision of the committee (by consent) on `subject`, passed;
  // returns its id.
  int64_t committee_decision(int64_t first_day, const std::string& subject,
                             const std::string& title, const std::string& text,
                             bool someone_stands_aside) {
    ProposalInput in;
    in.org_id = national_;
    in.domain = "solidarity.seal";
    in.title = title;
    in.text = text;
    in.subject = subject;
    const Actor chair = as_person(coordinator_.person_id);
    const Json created = create_proposal(tx_, Ctx{chair, at(first_day, 10)}, in);
    const int64_t proposal = created.at("id").get<int64_t>();
    const Json opened =
        open_proposal(tx_, Ctx{chair, at(first_day, 10, 5)}, proposal, std::nullopt);
    const Timestamp opens = parse_iso8601(opened.at("voting_opens_at").get<std::string>());
    const Timestamp closes = parse_iso8601(opened.at("voting_closes_at").get<std::string>());
    int64_t minutes = 60;
    for (size_t i = 0; i < committee_.size(); ++i) {
      minutes += rng_.between(20, 600);
      const int choice = someone_stands_aside && i == committee_.size() - 1 ? 1 : 0;
      cast_ballot(tx_, Ctx{as_person(committee_[i]), Timestamp{opens.us + minutes * kMinuteUs}},
                  proposal,
                  CastInput{.ballot = Json{{"choice", choice}}, .on_behalf_of = std::nullopt});
    }
    const Json closed = close_proposal(tx_, Ctx{system_, Timestamp{closes.us + kHourUs}}, proposal);
    AGORA_ASSERT(closed.at("status") == "passed");
    ++report_.seal_decisions;
    return created.at("decision_id").get<int64_t>();
  }

  void seals() {
    const Actor chair = as_person(coordinator_.person_id);
    int64_t k = 0;
    std::vector<int64_t> withdrawn;
    for (const auto& [product_id, spec] : sealed_) {
      const int64_t first_day = day_of(2026, 3, 2) + k;
      const std::string name(spec->name);
      const std::string maker(producers_.at(std::string(spec->producer))->territory);
      std::string text = "A comisión do selo visitou a cooperativa que fai «";
      text += name;
      text += "» (";
      text += maker;
      text +=
          "): prezos pagados ás socias, condicións de traballo, orixe das materias primas e "
          "envases. Proponse concederlle o selo solidario da federación por dous anos.";
      const int64_t decision =
          committee_decision(first_day, "seal:product:" + std::to_string(product_id),
                             "Selo solidario para «" + name + "»", text, k % 3 == 1);
      mk::grant_seal(tx_, Ctx{chair, at(first_day + 15, 10)}, product_id, national_, decision,
                     at(first_day + 15 + 730, 0));
      ++report_.seals;
      if (spec->seal == Seal::withdrawn) withdrawn.push_back(product_id);
      ++k;
    }
    // The yoghurt moved to plastic pots in spring: the committee withdrew
    // its seal.
    for (int64_t product_id : withdrawn) {
      const int64_t first_day = day_of(2026, 5, 4);
      const int64_t decision = committee_decision(
          first_day, "seal-withdraw:product:" + std::to_string(product_id),
          "Retirar o selo solidario ao iogur natural",
          "A cooperativa substituíu os tarros de vidro retornables por envases de plástico dun "
          "só uso no pack de catro. O selo pide envases retornables ou compostables: proponse "
          "retiralo ata que volvan ao vidro.",
          false);
      mk::withdraw_seal(tx_, Ctx{chair, at(first_day + 15, 10)}, product_id, decision);
      --report_.seals;
    }
  }

  // ---- the order cycles

  struct VariantRef {
    int64_t variant_id;
    int64_t product_id;
    std::string producer;
    std::string product;
    int64_t case_size;
    int64_t producer_part;
  };

  // Volume price tiers for the first variant of a product: from min_units
  // ordered in the whole cycle, the producer's part falls to percent of its own.
  struct TierPlan {
    std::string_view product;
    std::vector<std::pair<int64_t, int64_t>> tiers;  // (min_units, percent)
  };

  // Offers of the variants whose producer passes `take`, at the cycle's fees;
  // scarce products get a cap; the products `plan` names get volume tiers.
  template <typename Take>
  std::vector<Offered> offer(const Ctx& c, int64_t cycle, Take take,
                             const std::vector<TierPlan>& plan = {}) {
    std::vector<mk::OfferInput> in;
    std::map<int64_t, const VariantRef*> by_variant;
    std::set<std::string> tiered;
    for (const VariantRef& v : variants_) {
      if (!take(v)) continue;
      mk::OfferInput o;
      o.variant_id = v.variant_id;
      if (v.product == "Castañas" || v.product == "Mel de uz" || v.product == "Torta de Santiago") {
        o.max_units = 30;
      }
      for (const TierPlan& t : plan) {
        if (t.product != v.product || !tiered.insert(v.product).second) continue;
        for (const auto& [min_units, percent] : t.tiers) {
          o.tiers.push_back(mk::TierInput{.min_units = min_units,
                                          .producer_price = v.producer_part * percent / 100});
        }
      }
      in.push_back(o);
      by_variant[v.variant_id] = &v;
    }
    const Json done = mk::set_offers(tx_, c, cycle, in);
    std::vector<Offered> out;
    for (const Json& o : done.at("items")) {
      const VariantRef& v = *by_variant.at(o.at("variant_id").get<int64_t>());
      Offered x;
      x.offer_id = o.at("id").get<int64_t>();
      x.variant_id = v.variant_id;
      x.price = o.at("price").get<int64_t>();
      x.producer_part = o.at("breakdown").at("producer").get<int64_t>();
      x.case_size = o.at("case_size").get<int64_t>();
      x.producer = v.producer;
      x.product = v.product;
      if (!o.at("max_units").is_null()) x.max_units = o.at("max_units").get<int64_t>();
      out.push_back(std::move(x));
    }
    return out;
  }

  PointIds points(const Ctx& c, int64_t cycle) {
    PointIds p;
    auto add = [&](std::string name, std::string kind, std::string address, int64_t fee) {
      mk::PointInput in;
      in.name = std::move(name);
      in.kind = std::move(kind);
      in.address = std::move(address);
      in.fee = fee;
      const int64_t id = mk::add_point(tx_, c, cycle, in).at("id").get<int64_t>();
      p.fee[id] = fee;
      return id;
    };
    p.shop = add("Tenda de A Cesta", "pickup",
                 "Rúa de San Pedro 42, Santiago de Compostela (xoves de 17:00 a 21:00)", 0);
    p.conxo = add("Local veciñal de Conxo", "pickup",
                  "Rúa da Igrexa de Conxo 3, Santiago de Compostela (venres de 18:00 a 20:00)", 0);
    p.bike = add("Reparto en bicicleta (Santiago)", "delivery",
                 "Na túa casa, dentro de Santiago, co reparto en bici de A Roda", 250);
    return p;
  }

  // Lines for a member: a few products, most of them the staples everyone
  // buys, a kilo or two, and some tolerance where a case has to fill.
  std::vector<mk::LineInput> basket(std::vector<Offered>& offers, int64_t lines) {
    static const std::set<std::string> kStaples = {"Pan de masa nai",
                                                   "Ovos camperos",
                                                   "Leite enteira fresca",
                                                   "Grelos",
                                                   "Patacas do país",
                                                   "Mazás reineta",
                                                   "Kiwis",
                                                   "Iogur natural",
                                                   "Broa de millo",
                                                   "Castañas",
                                                   "Mel de castiñeiro",
                                                   "Ribeiro branco Treixadura",
                                                   "Deterxente para a roupa",
                                                   "Aceite de oliva virgen extra picual",
                                                   "Queixo San Simón da Costa"};
    std::vector<size_t> staples;
    for (size_t i = 0; i < offers.size(); ++i) {
      if (kStaples.count(offers[i].product)) staples.push_back(i);
    }
    std::vector<mk::LineInput> out;
    std::set<size_t> used;
    for (int64_t tries = 0; static_cast<int64_t>(out.size()) < lines && tries < 50; ++tries) {
      const size_t i = !staples.empty() && rng_.chance(60) ? staples[rng_.below(staples.size())]
                                                           : rng_.below(offers.size());
      if (!used.insert(i).second) continue;
      Offered& o = offers[i];
      const int64_t quantity = rng_.chance(70) ? 1 : rng_.between(2, 3);
      const int64_t tolerance = o.case_size > 1 && rng_.chance(80)
                                    ? rng_.between(1, std::min<int64_t>(3, o.case_size / 2))
                                    : 0;
      if (o.max_units && o.ordered + quantity + tolerance > *o.max_units) continue;
      o.ordered += quantity + tolerance;
      out.push_back(
          mk::LineInput{.offer_id = o.offer_id, .quantity = quantity, .tolerance = tolerance});
    }
    return out;
  }

  // Tops up the member's current account, in round hundreds, when it cannot
  // hold `need` and keep a cushion (as members do before a big order).
  static constexpr int64_t kCushion = 10000;
  void fund(int64_t coop, int64_t person, int64_t need, Timestamp when) {
    const int64_t account =
        lg::ensure_account(tx_, when, coop, "member", person, "EUR", "current");
    const Json a = lg::get_account(tx_, Ctx{system_, when}, account);
    const int64_t available = a.at("available").get<int64_t>();
    if (available >= need + kCushion) return;
    const int64_t bank =
        lg::ensure_account(tx_, when, coop, "external", std::nullopt, "EUR", "bank");
    lg::TransferInput t;
    t.key = "demo:market:deposit:" + std::to_string(++deposits_);
    t.debit_account_id = bank;
    t.credit_account_id = account;
    t.amount = (need + kCushion - available + 9999) / 10000 * 10000;  // round hundreds
    t.code = "deposit";
    t.memo = "Ingreso para o pedido común";
    lg::apply_transfers(tx_, Timestamp{when.us - kMinuteUs}, admin_account_,
                        std::span<const lg::TransferInput>(&t, 1));
  }

  // One member's order (of A Cesta unless `coop` says): lines, a point, and
  // (unless `cart_only`) checkout.
  void order(const Actor& who, int64_t cycle, std::vector<mk::LineInput> lines, int64_t point,
             const PointIds& pts, Timestamp when, bool cart_only, int64_t coop = 0) {
    if (lines.empty()) return;
    mk::OrderInput in;
    in.lines = std::move(lines);
    in.point_id = point;
    const Json o = mk::set_order(tx_, Ctx{who, when}, cycle, in);
    if (cart_only) return;
    int64_t need = pts.fee.at(point);
    for (const Json& l : o.at("lines")) need += l.at("max_amount").get<int64_t>();
    fund(coop ? coop : cesta_, who.person_id, need, when);
    mk::checkout(tx_, Ctx{who, Timestamp{when.us + 2 * kMinuteUs}}, cycle);
    ++report_.orders;
  }

  int64_t pick_point(const PointIds& p) {
    const int64_t r = static_cast<int64_t>(rng_.below(100));
    return r < 60 ? p.shop : r < 85 ? p.conxo : p.bike;
  }

  // A co-op's members who order this time (neither demo login), in a fixed
  // order; A Cesta's unless `coop` says.
  std::vector<int64_t> shoppers(size_t n, int64_t coop = 0) {
    std::vector<int64_t> all;
    for (const auto& m : active_persons(coop ? coop : cesta_)) {
      if (*m.person_id == member_.person_id || *m.person_id == coordinator_.person_id) continue;
      if (m.class_code != "consumer" && m.class_code != "supporter") continue;
      all.push_back(*m.person_id);
    }
    std::vector<int64_t> out;
    while (out.size() < n && !all.empty()) {
      const size_t i = rng_.below(all.size());
      out.push_back(all[i]);
      all.erase(all.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return out;
  }

  mk::CycleInput cycle_input(const std::string& name, Timestamp opens, Timestamp closes) {
    mk::CycleInput in;
    in.coordinator_org_id = cesta_;
    in.name = name;
    in.currency = "EUR";
    in.opens_at = opens;
    in.closes_at = closes;
    in.share_rule = "proportional";
    in.fees = cycle_rates();
    in.coop_ids = {cesta_};
    return in;
  }

  // Opened 18 days before the day of loading for six days; closed, received
  // with a short delivery and settled.
  void past_cycle() {
    const int64_t d0 = today_ - 20;
    const int64_t opens_day = d0 + 2, closes_day = d0 + 8;
    const Ctx setup{coordinator_, at(d0, 10)};
    const Json created =
        mk::create_cycle(tx_, setup,
                         cycle_input("Pedido común " + galician_span(opens_day, closes_day),
                                     at(opens_day, 9), at(closes_day, 20)));
    const int64_t cycle = created.at("id").get<int64_t>();
    ++report_.cycles;
    // Galician producers only, and the Sierra de Segura's oil; the dairy
    // lowers the litre bottle's price from two dozen bottles.
    std::vector<Offered> offers = offer(
        setup, cycle,
        [&](const VariantRef& v) {
          return org_in_galicia(v.producer) || v.producer == "olivareros-segura";
        },
        {TierPlan{"Leite enteira fresca", {{12, 95}, {36, 90}}}});
    const PointIds pts = points(setup, cycle);
    mk::publish_cycle(tx_, Ctx{coordinator_, at(d0, 11)}, cycle);
    fair_price_contract(offers, d0);
    mk::open_cycle(tx_, Ctx{coordinator_, at(opens_day, 9)}, cycle);

    // The two logins first, then about thirty members over the week.
    order(member_, cycle,
          {line(offers, "Pan de masa nai", 2, 0), line(offers, "Ovos camperos", 1, 0),
           line(offers, "Grelos", 2, 0), line(offers, "Leite enteira fresca", 4, 2)},
          pts.shop, pts, at(opens_day, 21, 14), false);
    order(coordinator_, cycle,
          {line(offers, "Mel de castiñeiro", 1, 1), line(offers, "Grelos", 1, 0),
           line(offers, "Aceite de oliva virgen extra picual", 1, 1)},
          pts.conxo, pts, at(opens_day + 1, 8, 40), false);
    int64_t minute = 0;
    for (int64_t person : shoppers(30)) {
      minute += rng_.between(20, 150);
      const Timestamp when{at(opens_day + 1, 9).us + minute * kMinuteUs};
      AGORA_ASSERT(when.us < at(closes_day, 19).us);
      order(as_person(person), cycle, basket(offers, rng_.between(2, 6)), pick_point(pts), pts,
            when, false);
    }

    // The scheduler closed it on time; the producers confirmed (the frost
    // took some grelos); the delivery came in (a dozen eggs broken).
    mk::close_cycle_now(tx_, at(closes_day, 20), cycle);
    const Json pos = mk::list_purchase_orders(tx_, Ctx{coordinator_, at(closes_day + 1, 8)}, cycle);
    int64_t minutes = 0;
    std::vector<mk::ReceiveLine> short_lines;
    for (const Json& po : pos.at("items")) {
      const int64_t producer = po.at("producer").at("org_id").get<int64_t>();
      std::vector<mk::ConfirmLine> fewer;
      std::string note;
      for (const Json& l : po.at("lines")) {
        const int64_t units = l.at("units").get<int64_t>();
        const std::string product = l.at("product_name").get<std::string>();
        if (product == "Grelos" && units >= 2 && fewer.empty()) {
          fewer.push_back(mk::ConfirmLine{.offer_id = l.at("offer_id").get<int64_t>(),
                                          .units = units - 1 - units / 3});
          note = "A xeada da semana pasada queimou parte dos grelos.";
        }
        if (product == "Ovos camperos" && units >= 2 && short_lines.empty()) {
          short_lines.push_back(
              mk::ReceiveLine{.offer_id = l.at("offer_id").get<int64_t>(), .units = units - 1});
        }
      }
      minutes += rng_.between(10, 90);
      mk::confirm_purchase_order(tx_,
                                 Ctx{as_person(coordinator_of(producer)),
                                     Timestamp{at(closes_day + 1, 9).us + minutes * kMinuteUs}},
                                 po.at("id").get<int64_t>(), fewer, note);
    }
    mk::record_received(tx_, Ctx{coordinator_, at(closes_day + 3, 18)}, cycle, {}, true);
    if (!short_lines.empty()) {
      mk::record_received(tx_, Ctx{coordinator_, at(closes_day + 3, 18, 20)}, cycle, short_lines,
                          false);
    }
    mk::settle_cycle(tx_, Ctx{coordinator_, at(closes_day + 4, 10)}, cycle);
    report_.settled_cycle_id = cycle;
  }

  // Open now, closing in four days; members have been ordering since it
  // opened. The demo member has not ordered yet (that is theirs to try).
  void open_cycle() {
    const int64_t d0 = today_ - 4;
    const int64_t opens_day = today_ - 2, closes_day = today_ + 4;
    const Ctx setup{coordinator_, at(d0, 10)};
    const Json created =
        mk::create_cycle(tx_, setup,
                         cycle_input("Pedido común " + galician_span(opens_day, closes_day),
                                     at(opens_day, 9), at(closes_day, 20)));
    const int64_t cycle = created.at("id").get<int64_t>();
    ++report_.cycles;
    std::vector<Offered> offers = offer(setup, cycle, [](const VariantRef&) { return true; });
    const PointIds pts = points(setup, cycle);
    mk::publish_cycle(tx_, Ctx{coordinator_, at(d0, 11)}, cycle);
    mk::open_cycle(tx_, Ctx{coordinator_, at(opens_day, 9)}, cycle);

    order(coordinator_, cycle,
          {line(offers, "Pan de masa nai", 1, 0), line(offers, "Queixo San Simón da Costa", 1, 0),
           line(offers, "Ribeiro branco Treixadura", 2, 2),
           line(offers, "Deterxente para a roupa", 1, 0)},
          pts.shop, pts, at(opens_day, 10, 5), false);
    int64_t minute = 0;
    const std::vector<int64_t> people = shoppers(16);
    for (size_t i = 0; i < people.size(); ++i) {
      minute += rng_.between(30, 140);
      const Timestamp when{at(opens_day, 11).us + minute * kMinuteUs};
      AGORA_ASSERT(when.us < at(today_, 0).us);
      // The last two have filled a cart and not checked out yet.
      order(as_person(people[i]), cycle, basket(offers, rng_.between(2, 7)), pick_point(pts), pts,
            when, i + 2 >= people.size());
    }
    report_.open_cycle_id = cycle;
  }

  // "2026-11-04" of a day since the epoch.
  static std::string iso_day(int64_t day) {
    const Civil c = civil(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
    return buf;
  }

  // A Cesta's fair-price contract with Hortas do Ulla for a year from the
  // past cycle's set-up: a floor above the cycle's producer price on grelos
  // and potatoes, the units the co-op commits to take, and an advance for
  // the winter sowing repaid by a quarter of each delivery. Accepted before
  // the past cycle opened, so its settlement tops the price up to the floor
  // and keeps back a repayment.
  void fair_price_contract(const std::vector<Offered>& offers, int64_t d0) {
    const int64_t ulla = org("hortas-do-ulla");
    const int64_t account =
        lg::ensure_account(tx_, at(d0, 12), cesta_, "org", std::nullopt, "EUR", "operating");
    mk::ContractInput in;
    in.buyer_org_id = cesta_;
    in.producer_org_id = ulla;
    in.name = "Prezo xusto coas Hortas do Ulla";
    in.starts_on = iso_day(d0);
    in.ends_on = iso_day(d0 + 365);
    in.account_id = account;
    in.repay_bps = 2500;
    in.terms =
        "A Cesta garante un prezo mínimo por grelos e patacas durante un ano e compromete "
        "as unidades indicadas; o anticipo para a sementeira de inverno devólvese cun 25 % "
        "de cada entrega.";
    const std::pair<std::string_view, int64_t> kLines[] = {{"Grelos", 300},
                                                          {"Patacas do país", 120}};
    for (const auto& [product, committed] : kLines) {
      for (const Offered& o : offers) {
        if (o.product != product) continue;
        in.lines.push_back(mk::ContractLineInput{.variant_id = o.variant_id,
                                                 .floor_price = o.producer_part + o.producer_part / 6,
                                                 .committed_units = committed});
        break;
      }
    }
    AGORA_ASSERT(in.lines.size() == 2);
    const Json proposed = mk::propose_contract(tx_, Ctx{coordinator_, at(d0, 12)}, in);
    const int64_t id = proposed.at("id").get<int64_t>();
    mk::accept_contract(tx_, Ctx{producer_actor("hortas-do-ulla"), at(d0 + 1, 10)}, id);
    mk::AdvanceInput adv;
    adv.key = "demo:market:advance:1";
    adv.amount = 30000;
    adv.memo = "Anticipo para a sementeira de inverno";
    mk::pay_advance(tx_, Ctx{coordinator_, at(d0 + 1, 11)}, id, adv);
    report_.contract_id = id;
    ++report_.contracts;
  }

  // Regional group buying, open now: the Federación Galega's hub cycle
  // (its coordinator is the demo coordinator) with volume tiers on staples,
  // fed by a local cycle at A Cesta and one at Vigo Consume whose members
  // have been ordering since it opened. Left open, so the hub's demand runs:
  // some tiers are reached by the two co-ops' orders together, others a few
  // units short. The demo member has not ordered in it yet.
  void regional_cycles() {
    const int64_t galicia = org("galicia");
    const int64_t d0 = today_ - 3;
    const int64_t opens_day = today_ - 2, closes_day = today_ + 5;
    const Ctx setup{coordinator_, at(d0, 10)};
    mk::CycleInput hub_in =
        cycle_input("Compra rexional galega " + galician_span(opens_day, closes_day),
                    at(opens_day, 9), at(closes_day, 20));
    hub_in.coordinator_org_id = galicia;
    hub_in.coop_ids = {cesta_, vigo_};
    const int64_t hub = mk::create_cycle(tx_, setup, hub_in).at("id").get<int64_t>();
    ++report_.cycles;
    std::vector<Offered> offers = offer(
        setup, hub,
        [&](const VariantRef& v) {
          return org_in_galicia(v.producer) || v.producer == "olivareros-segura";
        },
        {TierPlan{"Aceite de oliva virgen extra picual", {{12, 95}, {36, 90}}},
         TierPlan{"Mel de castiñeiro", {{10, 94}, {30, 88}}},
         TierPlan{"Ribeiro branco Treixadura", {{12, 95}, {48, 90}}},
         TierPlan{"Deterxente para a roupa", {{8, 93}, {24, 86}}},
         TierPlan{"Ovos camperos", {{12, 96}, {40, 92}}},
         TierPlan{"Patacas do país", {{10, 95}, {30, 90}}},
         TierPlan{"Leite enteira fresca", {{24, 95}, {96, 90}}}});
    mk::PointInput store_in;
    store_in.name = "Almacén da Federación Galega";
    store_in.kind = "pickup";
    store_in.address = "Polígono do Tambre, Vía Pasteur 12, Santiago de Compostela";
    mk::add_point(tx_, setup, hub, store_in);
    mk::publish_cycle(tx_, Ctx{coordinator_, at(d0, 11)}, hub);
    mk::open_cycle(tx_, Ctx{coordinator_, at(opens_day, 9)}, hub);
    report_.hub_cycle_id = hub;

    // A Cesta's local cycle: its own points, the hub's offers and prices.
    mk::CycleInput cesta_in =
        cycle_input("Compra rexional en A Cesta " + galician_span(opens_day, closes_day - 1),
                    at(opens_day, 9, 30), at(closes_day - 1, 20));
    cesta_in.fees = FeeRates{};
    cesta_in.hub_cycle_id = hub;
    const int64_t local_cesta = mk::create_cycle(tx_, Ctx{coordinator_, at(d0, 12)}, cesta_in)
                                    .at("id")
                                    .get<int64_t>();
    const PointIds cesta_pts = points(Ctx{coordinator_, at(d0, 12)}, local_cesta);
    mk::publish_cycle(tx_, Ctx{coordinator_, at(d0, 12, 30)}, local_cesta);
    mk::open_cycle(tx_, Ctx{coordinator_, at(opens_day, 9, 30)}, local_cesta);
    ++report_.cycles;

    // Vigo Consume's local cycle, set up by its own coordinator.
    const Actor vigo_coordinator = as_person(coordinator_of(vigo_));
    mk::CycleInput vigo_in =
        cycle_input("Compra rexional en Vigo Consume " + galician_span(opens_day, closes_day - 1),
                    at(opens_day, 10), at(closes_day - 1, 21));
    vigo_in.coordinator_org_id = vigo_;
    vigo_in.coop_ids = {vigo_};
    vigo_in.fees = FeeRates{};
    vigo_in.hub_cycle_id = hub;
    const int64_t local_vigo = mk::create_cycle(tx_, Ctx{vigo_coordinator, at(d0, 13)}, vigo_in)
                                   .at("id")
                                   .get<int64_t>();
    PointIds vigo_pts;
    {
      mk::PointInput in;
      in.name = "Local de Vigo Consume";
      in.kind = "pickup";
      in.address = "Rúa de Torrecedeira 61, Vigo (venres de 17:00 a 20:30)";
      vigo_pts.shop = mk::add_point(tx_, Ctx{vigo_coordinator, at(d0, 13)}, local_vigo, in)
                          .at("id")
                          .get<int64_t>();
      vigo_pts.fee[vigo_pts.shop] = 0;
    }
    mk::publish_cycle(tx_, Ctx{vigo_coordinator, at(d0, 13, 30)}, local_vigo);
    mk::open_cycle(tx_, Ctx{vigo_coordinator, at(opens_day, 10)}, local_vigo);
    ++report_.cycles;
    report_.local_cycle_ids = {local_cesta, local_vigo};

    // Members of both co-ops order, taking the tiered staples more often.
    std::vector<size_t> tiered;
    for (size_t i = 0; i < offers.size(); ++i) {
      for (const char* p : {"Aceite de oliva virgen extra picual", "Mel de castiñeiro",
                            "Ribeiro branco Treixadura", "Deterxente para a roupa",
                            "Ovos camperos", "Patacas do país", "Leite enteira fresca"}) {
        if (offers[i].product == p) {
          tiered.push_back(i);
          break;
        }
      }
    }
    const auto regional_basket = [&]() {
      std::vector<mk::LineInput> lines = basket(offers, rng_.between(1, 3));
      std::set<int64_t> have;
      for (const auto& l : lines) have.insert(l.offer_id);
      const int64_t extra = rng_.between(1, 2);
      for (int64_t k = 0; k < extra; ++k) {
        Offered& o = offers[tiered[rng_.below(tiered.size())]];
        if (!have.insert(o.offer_id).second) continue;
        const int64_t quantity = rng_.between(1, 3);
        const int64_t tolerance = o.case_size > 1 ? rng_.between(0, 2) : 0;
        o.ordered += quantity + tolerance;
        lines.push_back(
            mk::LineInput{.offer_id = o.offer_id, .quantity = quantity, .tolerance = tolerance});
      }
      return lines;
    };
    int64_t minute = 0;
    for (int64_t person : shoppers(14)) {
      minute += rng_.between(30, 150);
      const Timestamp when{at(opens_day, 11).us + minute * kMinuteUs};
      AGORA_ASSERT(when.us < at(today_, 0).us);
      order(as_person(person), local_cesta, regional_basket(), pick_point(cesta_pts), cesta_pts,
            when, false);
    }
    minute = 0;
    for (int64_t person : shoppers(14, vigo_)) {
      minute += rng_.between(30, 150);
      const Timestamp when{at(opens_day, 12).us + minute * kMinuteUs};
      AGORA_ASSERT(when.us < at(today_, 0).us);
      order(as_person(person), local_vigo, regional_basket(), vigo_pts.shop, vigo_pts, when, false,
            vigo_);
    }
  }

  // The first variant of the named product on offer.
  mk::LineInput line(std::vector<Offered>& offers, std::string_view product, int64_t quantity,
                     int64_t tolerance) {
    for (Offered& o : offers) {
      if (o.product == product) {
        o.ordered += quantity + tolerance;
        return mk::LineInput{.offer_id = o.offer_id, .quantity = quantity, .tolerance = tolerance};
      }
    }
    AGORA_ASSERT(false);
    return {};
  }

  bool org_in_galicia(const std::string& slug) {
    static const std::set<std::string> kGalician = {
        "hortas-do-ulla", "lacteos-terra-cha", "mel-do-courel",   "forno-de-sar",
        "ovos-ulloa",     "adega-ribeiro",     "xabonaria-escuma"};
    return kGalician.count(slug) > 0;
  }

  store::Tx& tx_;
  Actor system_;
  DemoReport& totals_;
  Rng rng_;
  int64_t today_ = 0;  // days since the epoch
  std::map<std::string, int64_t> slugs_;
  int64_t national_ = 0;
  int64_t admin_account_ = 0;
  Actor coordinator_;
  Actor member_;
  int64_t cesta_ = 0;
  int64_t vigo_ = 0;
  std::map<int64_t, int64_t> coordinators_;  // org -> person
  std::map<std::string, const ProducerSpec*> producers_;
  std::vector<VariantRef> variants_;
  std::vector<std::pair<int64_t, const ProductSpec*>> sealed_;
  std::vector<int64_t> committee_;
  int64_t deposits_ = 0;
  MarketReport report_;
};

}  // namespace

MarketReport load_demo_market(App& app, DemoReport& totals) {
  MarketReport report;
  app.write(Actor::system(), "demo_market", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
    report = MarketLoader(tx, ctx, totals).run();
    return Json{{"orgs", report.orgs},         {"products", report.products},
                {"variants", report.variants}, {"seals", report.seals},
                {"cycles", report.cycles},     {"orders", report.orders}};
  });
  return report;
}

}  // namespace agora::app::demo
