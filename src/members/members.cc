// placeholder until the members domain lands
