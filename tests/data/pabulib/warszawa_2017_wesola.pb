META
key;value
description;Local PB in Warsaw, WesoÅ‚a | Plac Wojska Polskiego
country;Poland
unit;Warszawa
subunit;Plac Wojska Polskiego
instance;2017
district;WesoÅ‚a
num_projects;4
num_votes;27
budget;51195
vote_type;approval
rule;greedy
date_begin;14.06.2016
date_end;24.06.2016
min_length;1
max_sum_cost;51195
language;polish
edition;3
PROJECTS
project_id;cost;category;votes;name;target;selected
427;15995;education;16;Akademia Szkraba;children,families with children;1
915;5825;education,environmental protection;14;Plac Wojska Polskiego dla gniazdujÄ…cych;None;1
2567;20000;education,sport,health;12;Aktywny senior - gimnastyka;seniors;1
1623;2900;public space,health;5;Å»yczliwoÅ›Ä‡ wobec kobiet w ciÄ…Å¼y dla mieszkanek WesoÅ‚ej.;adults,people with disabilities;1
VOTES
voter_id;age;sex;voting_method;vote
5642;33;F;internet;427
7230;65;F;internet;2567
8987;30;F;internet;915
10533;20;F;internet;915
15240;37;M;internet;427,915,2567,1623
16498;67;M;paper;2567,915
16910;68;F;paper;2567,915
22288;24;F;internet;427,2567,915
24842;14;M;internet;2567
32398;29;F;internet;915,1623,2567,427
32998;29;F;internet;427
44924;36;F;internet;427
47826;69;F;paper;2567,1623
48423;10;F;internet;915
48974;52;F;internet;427
50829;36;F;internet;427,2567,1623,915
57441;26;F;internet;915,2567,427
57475;64;M;internet;915,427
72881;33;F;internet;915
79157;52;F;internet;427
80175;38;F;internet;2567
87967;34;M;paper;427,2567,1623,915
88076;28;F;internet;427
88639;63;M;internet;915
94116;33;M;internet;427
103942;54;M;internet;427
104255;53;F;internet;427
