export { describeVia } from './describe';
export { type CommuneAtResult, communeAt } from './locate';
export {
  type AliasKind,
  buildPlaces,
  type CommuneRelation,
  loadPlaces,
  type OldCommune,
  type OldCommuneTarget,
  type OldDistrict,
  type OldProvince,
  PLACE_DATA_FILES,
  type PlaceAlias,
  type PlaceSources,
  type Places,
} from './places';
export {
  type CommuneMatch,
  type CommuneMatchAnywhere,
  type CommuneVia,
  findCommunePlaces,
  findCommunePlacesAnywhere,
  type PlaceSearchResult,
  type ProvinceMatch,
  type ProvinceResolution,
  type ProvinceVia,
  resolveProvince,
} from './search';
