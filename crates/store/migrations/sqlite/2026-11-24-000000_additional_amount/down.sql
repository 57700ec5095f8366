DROP TABLE additional_amount_inputs;
DROP TABLE additional_amount_pot_decisions;
DROP TABLE additional_amount_scenarios;
DROP TABLE additional_amount_events;
DROP TABLE additional_amount_versions;
