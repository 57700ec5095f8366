-- Road distances (vägavstånd) are an imported input too.
ALTER TABLE additional_amount_inputs DROP CONSTRAINT additional_amount_inputs_kind_check;
ALTER TABLE additional_amount_inputs ADD CONSTRAINT additional_amount_inputs_kind_check
    CHECK (kind IN ('befolkning', 'orter', 'utveckling', 'vagavstand'));
