"""Reading organizers' files (CSV folders, .xlsx workbooks, the demo generator), validating
every row against the contract, and writing the zone to a store in one transaction."""
