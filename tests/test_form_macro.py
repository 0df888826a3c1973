"""The shared form macro writes only meaningful attributes."""


def test_fields_have_no_none_attributes(client):
    html = client.get("/login").get_data(as_text=True)
    assert '="None"' not in html and 'aria-invalid' not in html
    assert 'autocomplete="username"' in html and 'required' in html
