DELETE FROM additional_amount_inputs WHERE kind = 'vagavstand';
