package neo4jdb

// TierLimit bounds the enterprises listed for one enterprise's upstream or downstream tiers.
const TierLimit = 200
