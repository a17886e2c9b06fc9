// Temporary translation unit so the empty target configures; removed when metrics land.
