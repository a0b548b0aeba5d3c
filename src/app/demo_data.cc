#include "app/demo_data.h"

#include <array>
#include <cstdio>

#include "core/assert.h"

namespace agora::app::demo {

namespace {

using L = std::string_view;

constexpr std::array kSpanishWomen = {
    L{"María"},     L{"Carmen"},   L{"Ana"},      L{"Laura"},     L{"Lucía"},    L{"Marta"},
    L{"Elena"},     L{"Cristina"}, L{"Paula"},    L{"Sara"},      L{"Isabel"},   L{"Rosa"},
    L{"Pilar"},     L{"Sofía"},    L{"Julia"},    L{"Alba"},      L{"Nerea"},    L{"Irene"},
    L{"Raquel"},    L{"Beatriz"},  L{"Noelia"},   L{"Silvia"},    L{"Patricia"}, L{"Rocío"},
    L{"Lorena"},    L{"Nuria"},    L{"Mercedes"}, L{"Dolores"},   L{"Alicia"},   L{"Clara"},
    L{"Eva"},       L{"Lidia"},    L{"Victoria"}, L{"Celia"},     L{"Marina"},   L{"Candela"},
    L{"Macarena"},  L{"Esperanza"}, L{"Inmaculada"}, L{"Consuelo"}, L{"Teresa"}, L{"Ángela"},
    L{"María José"}, L{"Ana Belén"}, L{"María del Mar"}, L{"María Luisa"}, L{"María Jesús"},
};
constexpr std::array kSpanishMen = {
    L{"Antonio"},   L{"José"},      L{"Manuel"},  L{"Francisco"}, L{"David"},  L{"Juan"},
    L{"Javier"},    L{"Daniel"},    L{"Carlos"},  L{"Jesús"},     L{"Alejandro"}, L{"Miguel"},
    L{"Rafael"},    L{"Pablo"},     L{"Sergio"},  L{"Fernando"},  L{"Jorge"},  L{"Luis"},
    L{"Alberto"},   L{"Álvaro"},    L{"Diego"},   L{"Adrián"},    L{"Raúl"},   L{"Enrique"},
    L{"Ramón"},     L{"Andrés"},    L{"Rubén"},   L{"Iván"},      L{"Óscar"},  L{"Martín"},
    L{"Hugo"},      L{"Mario"},     L{"Joaquín"}, L{"Ignacio"},   L{"Gonzalo"}, L{"Emilio"},
    L{"José Luis"}, L{"Juan Carlos"}, L{"José Antonio"}, L{"Francisco Javier"}, L{"José Manuel"},
};
constexpr std::array kGalicianWomen = {
    L{"Uxía"},  L{"Antía"}, L{"Iria"},  L{"Sabela"}, L{"Xiana"},   L{"Noa"},
    L{"Olalla"}, L{"Aldara"}, L{"Carme"}, L{"Xoana"},
};
constexpr std::array kGalicianMen = {
    L{"Xoán"}, L{"Brais"}, L{"Iago"}, L{"Xosé"}, L{"Roi"}, L{"Anxo"}, L{"Uxío"}, L{"Xurxo"},
    L{"Breixo"}, L{"Xabier"},
};
constexpr std::array kSpanishSurnames = {
    L{"García"},   L{"Rodríguez"}, L{"González"}, L{"Fernández"}, L{"López"},    L{"Martínez"},
    L{"Sánchez"},  L{"Pérez"},     L{"Gómez"},    L{"Martín"},    L{"Jiménez"},  L{"Ruiz"},
    L{"Hernández"}, L{"Díaz"},     L{"Moreno"},   L{"Muñoz"},     L{"Álvarez"},  L{"Romero"},
    L{"Alonso"},   L{"Gutiérrez"}, L{"Navarro"},  L{"Torres"},    L{"Domínguez"}, L{"Vázquez"},
    L{"Ramos"},    L{"Gil"},       L{"Ramírez"},  L{"Serrano"},   L{"Blanco"},   L{"Molina"},
    L{"Morales"},  L{"Suárez"},    L{"Ortega"},   L{"Delgado"},   L{"Castro"},   L{"Ortiz"},
    L{"Rubio"},    L{"Marín"},     L{"Sanz"},     L{"Núñez"},     L{"Iglesias"}, L{"Medina"},
    L{"Garrido"},  L{"Cortés"},    L{"Castillo"}, L{"Santos"},    L{"Lozano"},   L{"Guerrero"},
    L{"Cano"},     L{"Prieto"},    L{"Méndez"},   L{"Cruz"},      L{"Calvo"},    L{"Gallego"},
    L{"Vidal"},    L{"León"},      L{"Márquez"},  L{"Herrera"},   L{"Peña"},     L{"Flores"},
    L{"Cabrera"},  L{"Campos"},    L{"Vega"},     L{"Fuentes"},   L{"Carrasco"}, L{"Caballero"},
    L{"Reyes"},    L{"Nieto"},     L{"Aguilar"},  L{"Pascual"},   L{"Herrero"},  L{"Lorenzo"},
    L{"Montero"},  L{"Hidalgo"},   L{"Ibáñez"},   L{"Ferrer"},    L{"Durán"},    L{"Benítez"},
    L{"Mora"},     L{"Vargas"},    L{"Arias"},    L{"Carmona"},   L{"Crespo"},   L{"Román"},
    L{"Pastor"},   L{"Soto"},      L{"Sáez"},     L{"Velasco"},   L{"Parra"},    L{"Esteban"},
    L{"Bravo"},    L{"Gallardo"},  L{"Rojas"},    L{"Jurado"},    L{"Barrera"},  L{"Escobar"},
};
constexpr std::array kGalicianSurnames = {
    L{"Otero"},    L{"Rey"},      L{"Pazos"},   L{"Lema"},    L{"Varela"},   L{"Souto"},
    L{"Seoane"},   L{"Barreiro"}, L{"Fariña"},  L{"Piñeiro"}, L{"Castiñeiras"}, L{"Outeiro"},
    L{"Bouzas"},   L{"Regueiro"}, L{"Carballo"}, L{"Vilar"},  L{"Rivas"},     L{"Lago"},
    L{"Mosquera"}, L{"Fraga"},    L{"Sampedro"}, L{"Loureiro"}, L{"Costas"},  L{"Bermúdez"},
};
constexpr std::array kPortugueseWomen = {
    L{"Maria"},    L{"Ana"},      L{"Joana"},   L{"Mariana"},   L{"Beatriz"},  L{"Inês"},
    L{"Sofia"},    L{"Catarina"}, L{"Rita"},    L{"Carolina"},  L{"Marta"},    L{"Sara"},
    L{"Leonor"},   L{"Matilde"},  L{"Francisca"}, L{"Teresa"},  L{"Helena"},   L{"Patrícia"},
    L{"Filipa"},   L{"Cláudia"},  L{"Raquel"},  L{"Susana"},    L{"Sónia"},    L{"Fernanda"},
    L{"Luísa"},    L{"Margarida"}, L{"Isabel"}, L{"Rosa"},      L{"Conceição"}, L{"Fátima"},
    L{"Lúcia"},    L{"Adriana"},  L{"Vera"},    L{"Andreia"},   L{"Daniela"},  L{"Graça"},
};
constexpr std::array kPortugueseMen = {
    L{"João"},    L{"José"},    L{"António"}, L{"Manuel"},   L{"Francisco"}, L{"Pedro"},
    L{"Tiago"},   L{"Rui"},     L{"Luís"},    L{"Miguel"},   L{"Nuno"},      L{"Paulo"},
    L{"Ricardo"}, L{"Carlos"},  L{"Jorge"},   L{"Bruno"},    L{"André"},     L{"Diogo"},
    L{"Rodrigo"}, L{"Gonçalo"}, L{"Duarte"},  L{"Afonso"},   L{"Tomás"},     L{"Martim"},
    L{"Vasco"},   L{"Henrique"}, L{"Hugo"},   L{"Sérgio"},   L{"Vítor"},     L{"Fernando"},
    L{"Joaquim"}, L{"Filipe"},  L{"Fábio"},   L{"Artur"},    L{"Simão"},     L{"Hélder"},
};
constexpr std::array kPortugueseSurnames = {
    L{"Silva"},    L{"Santos"},  L{"Ferreira"}, L{"Pereira"},  L{"Oliveira"}, L{"Costa"},
    L{"Rodrigues"}, L{"Martins"}, L{"Sousa"},   L{"Fernandes"}, L{"Gonçalves"}, L{"Gomes"},
    L{"Lopes"},    L{"Marques"}, L{"Alves"},    L{"Almeida"},  L{"Ribeiro"},  L{"Pinto"},
    L{"Carvalho"}, L{"Teixeira"}, L{"Moreira"}, L{"Correia"},  L{"Mendes"},   L{"Nunes"},
    L{"Soares"},   L{"Vieira"},  L{"Monteiro"}, L{"Cardoso"},  L{"Rocha"},    L{"Neves"},
    L{"Coelho"},   L{"Cunha"},   L{"Pires"},    L{"Ramos"},    L{"Reis"},     L{"Simões"},
    L{"Antunes"},  L{"Matos"},   L{"Fonseca"},  L{"Machado"},  L{"Araújo"},   L{"Barbosa"},
    L{"Tavares"},  L{"Lourenço"}, L{"Figueiredo"}, L{"Azevedo"}, L{"Freitas"}, L{"Magalhães"},
    L{"Baptista"}, L{"Brandão"}, L{"Peixoto"},  L{"Guimarães"}, L{"Leite"},   L{"Barros"},
};
// Surnames Portuguese people often carry last, with their particle.
constexpr std::array kPortugueseLastSurnames = {
    L{"da Silva"},    L{"dos Santos"}, L{"de Sousa"},   L{"da Costa"},    L{"de Oliveira"},
    L{"de Carvalho"}, L{"da Cunha"},   L{"de Almeida"}, L{"da Rocha"},    L{"de Jesus"},
    L{"de Freitas"},  L{"de Matos"},   L{"de Magalhães"}, L{"de Castro"}, L{"de Azevedo"},
    L{"da Fonseca"},  L{"das Neves"},  L{"dos Reis"},
};

template <typename A>
std::string_view pick(Rng& rng, const A& items) {
  return items[rng.below(items.size())];
}

}  // namespace

PersonName make_name(Rng& rng, Culture culture) {
  PersonName n;
  const bool woman = rng.chance(51);
  if (culture == Culture::portuguese) {
    n.given_name = std::string(woman ? pick(rng, kPortugueseWomen) : pick(rng, kPortugueseMen));
    if (rng.chance(45)) {
      std::string_view second = woman ? pick(rng, kPortugueseWomen) : pick(rng, kPortugueseMen);
      if (second != n.given_name) n.given_name += " " + std::string(second);
    }
    const std::string_view first = pick(rng, kPortugueseSurnames);
    if (rng.chance(15)) {
      n.family_name = std::string(pick(rng, kPortugueseLastSurnames));
    } else if (rng.chance(40)) {
      n.family_name = std::string(first) + " " + std::string(pick(rng, kPortugueseLastSurnames));
    } else {
      std::string_view second = pick(rng, kPortugueseSurnames);
      if (second == first) second = "Sequeira";
      n.family_name = std::string(first) + " " + std::string(second);
    }
    return n;
  }
  const bool local = culture == Culture::galician;
  if (local && rng.chance(30)) {
    n.given_name = std::string(woman ? pick(rng, kGalicianWomen) : pick(rng, kGalicianMen));
  } else {
    n.given_name = std::string(woman ? pick(rng, kSpanishWomen) : pick(rng, kSpanishMen));
  }
  auto surname = [&] {
    return local && rng.chance(40) ? pick(rng, kGalicianSurnames) : pick(rng, kSpanishSurnames);
  };
  const std::string_view father = surname();
  std::string_view mother = surname();
  if (mother == father && rng.chance(80)) mother = surname();
  n.family_name = std::string(father) + " " + std::string(mother);
  return n;
}

std::string ascii_fold(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(static_cast<char>(c));
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      ++i;
      continue;
    }
    if (c == 0xC3 && i + 1 < s.size()) {
      // Latin-1 Supplement letters used in Spanish, Galician and Portuguese.
      const auto d = static_cast<unsigned char>(s[i + 1]) & 0x1F;  // lower and upper share rows
      static constexpr char kMap[32] = {'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e',
                                        'e', 'i', 'i', 'i', 'i', 0,   'n', 'o', 'o', 'o', 'o',
                                        'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   0};
      if (kMap[d] != 0) out.push_back(kMap[d]);
      i += 2;
      continue;
    }
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

std::string make_phone(Rng& rng, Culture culture) {
  char buf[32];
  const int a = static_cast<int>(rng.between(0, 99));
  const int b = static_cast<int>(rng.between(0, 999));
  const int c = static_cast<int>(rng.between(0, 999));
  if (culture == Culture::portuguese) {
    static constexpr int kLead[] = {91, 92, 93, 96};
    std::snprintf(buf, sizeof buf, "+351 %d%d %03d %03d", kLead[rng.below(4)], a % 10, b, c);
  } else {
    std::snprintf(buf, sizeof buf, "+34 6%02d %03d %03d", a, b, c);
  }
  return buf;
}

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::federation: return "federation";
    case Kind::consumer: return "consumer";
    case Kind::worker: return "worker";
    case Kind::producer: return "producer";
  }
  AGORA_ASSERT(false);
  return {};
}

namespace {

using E = EnterpriseSpec;
constexpr Kind W = Kind::worker;
constexpr Kind P = Kind::producer;

// Galicia
constexpr std::array kCestaWork = {
    E{W, "Panadería O Forno de Sar", "forno-de-sar", 5, 8},
    E{W, "Taller de Bicicletas A Roda", "a-roda-bicicletas", 3, 5},
};
constexpr std::array kVigoWork = {
    E{W, "Imprenta Rotativa do Berbés", "imprenta-berbes", 6, 10},
    E{W, "Café Librería A Fouce", "cafe-a-fouce", 4, 6},
};
constexpr std::array kLugoWork = {
    E{W, "Obradoiro de Costura Fíos", "obradoiro-fios", 4, 7},
};
constexpr std::array kCorunaWork = {
    E{W, "Limpezas Mareira", "limpezas-mareira", 8, 12},
    E{W, "Mensaxería en Bici A Xiria", "mensaxeria-a-xiria", 4, 6},
};
constexpr std::array kGaliciaProducers = {
    E{P, "Lácteos Terra Chá S. Coop. Galega", "lacteos-terra-cha", 12, 20},
    E{P, "Hortas do Ulla", "hortas-do-ulla", 8, 14},
    E{P, "Mel da Serra do Courel", "mel-do-courel", 6, 10},
};
constexpr std::array kGaliciaConsumers = {
    ConsumerSpec{"Cooperativa de Consumo A Cesta", "a-cesta-santiago", "Santiago de Compostela",
                 150, 190, kCestaWork},
    ConsumerSpec{"Vigo Consume S. Coop. Galega", "vigo-consume", "Vigo", 160, 200, kVigoWork},
    ConsumerSpec{"Cooperativa A Cova da Terra", "cova-da-terra-lugo", "Lugo", 110, 150, kLugoWork},
    ConsumerSpec{"Coruña Común", "coruna-comun", "A Coruña", 140, 180, kCorunaWork},
};

// Andalucía
constexpr std::array kSevillaWork = {
    E{W, "Panadería La Espiga de Triana", "espiga-de-triana", 5, 8},
    E{W, "Imprenta La Minerva", "imprenta-la-minerva", 5, 8},
};
constexpr std::array kGranadaWork = {
    E{W, "Taller de Bicis La Cadena", "bicis-la-cadena", 3, 5},
    E{W, "Comedor Cooperativo El Albaicín", "comedor-albaicin", 6, 10},
};
constexpr std::array kMalagaWork = {
    E{W, "Reparaciones Electrónicas Chispa", "reparaciones-chispa", 3, 5},
};
constexpr std::array kCordobaWork = {
    E{W, "Escuela Infantil Los Naranjos", "escuela-los-naranjos", 6, 9},
};
constexpr std::array kAndaluciaProducers = {
    E{P, "Olivareros de la Sierra de Segura", "olivareros-segura", 15, 25},
    E{P, "Huerta Viva de la Vega", "huerta-viva-vega", 8, 14},
    E{P, "Quesería Cooperativa de Grazalema", "queseria-grazalema", 5, 9},
};
constexpr std::array kAndaluciaConsumers = {
    ConsumerSpec{"La Alacena Cooperativa de Consumo", "la-alacena-sevilla", "Sevilla", 160, 200,
                 kSevillaWork},
    ConsumerSpec{"El Zoco Cooperativa de Consumo", "el-zoco-granada", "Granada", 130, 170,
                 kGranadaWork},
    ConsumerSpec{"Málaga Consume S. Coop. And.", "malaga-consume", "Málaga", 150, 190,
                 kMalagaWork},
    ConsumerSpec{"Córdoba en Común", "cordoba-en-comun", "Córdoba", 110, 150, kCordobaWork},
};

// Norte de Portugal
constexpr std::array kPortoWork = {
    E{W, "Padaria Pão de Centeio", "padaria-pao-de-centeio", 5, 8},
    E{W, "Tipografia Popular do Bonfim", "tipografia-bonfim", 5, 8},
    E{W, "Oficina de Bicicletas Pedal Solidário", "pedal-solidario", 3, 5},
};
constexpr std::array kBragaWork = {
    E{W, "Cantina Cooperativa São Vicente", "cantina-sao-vicente", 6, 9},
};
constexpr std::array kGuimaraesWork = {
    E{W, "Carpintaria Cooperativa da Penha", "carpintaria-penha", 4, 7},
};
constexpr std::array kVianaWork = {
    E{W, "Lavandaria Cooperativa do Lima", "lavandaria-lima", 4, 6},
};
constexpr std::array kNorteProducers = {
    E{P, "Leite do Minho CRL", "leite-do-minho", 12, 20},
    E{P, "Vinhos Verdes do Cávado", "vinhos-cavado", 10, 16},
    E{P, "Hortícolas do Douro", "horticolas-douro", 8, 12},
};
constexpr std::array kNorteConsumers = {
    ConsumerSpec{"Mercearia Cooperativa do Porto", "mercearia-porto", "Porto", 160, 200,
                 kPortoWork},
    ConsumerSpec{"Braga Coop", "braga-coop", "Braga", 120, 160, kBragaWork},
    ConsumerSpec{"Guimarães Consome", "guimaraes-consome", "Guimarães", 110, 150, kGuimaraesWork},
    ConsumerSpec{"Viana Coop", "viana-coop", "Viana do Castelo", 100, 140, kVianaWork},
};

// Alentejo
constexpr std::array kEvoraWork = {
    E{W, "Padaria do Rossio", "padaria-rossio", 4, 7},
};
constexpr std::array kBejaWork = {
    E{W, "Oficina Gráfica Planície", "grafica-planicie", 3, 5},
};
constexpr std::array kAlentejoProducers = {
    E{P, "Azeite de Moura CRL", "azeite-de-moura", 12, 18},
    E{P, "Queijo de Serpa Cooperativa", "queijo-de-serpa", 6, 10},
};
constexpr std::array kAlentejoConsumers = {
    ConsumerSpec{"Évora Coop", "evora-coop", "Évora", 110, 150, kEvoraWork},
    ConsumerSpec{"Beja em Comum", "beja-em-comum", "Beja", 80, 120, kBejaWork},
};

constexpr std::array kRegions = {
    RegionSpec{"Federación Galega de Cooperativas de Consumo", "galicia", "Galicia, España",
               Culture::galician, kGaliciaConsumers, kGaliciaProducers},
    RegionSpec{"Federación Andaluza de Cooperativas de Consumo", "andalucia",
               "Andalucía, España", Culture::spanish, kAndaluciaConsumers, kAndaluciaProducers},
    RegionSpec{"Federação Cooperativa do Norte", "norte-portugal", "Norte, Portugal",
               Culture::portuguese, kNorteConsumers, kNorteProducers},
    RegionSpec{"Federação Cooperativa do Alentejo", "alentejo", "Alentejo, Portugal",
               Culture::portuguese, kAlentejoConsumers, kAlentejoProducers},
};

constexpr FederationSpec kFederation{"Federación Ibérica de Cooperativas", "iberica",
                                     "España y Portugal", kRegions};

}  // namespace

const FederationSpec& federation_spec() { return kFederation; }

}  // namespace agora::app::demo
