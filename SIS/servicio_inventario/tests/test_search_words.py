"""Name search through the word index: word prefixes in any order, accents, renames, filters and keyset pages."""
import itertools

import pytest
from django.core.exceptions import ValidationError

from catalog import services
from catalog.models import ProductWord
from catalog.search import NameWords, search_conditions
from catalog.services import category_create

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
_skus = (f"SW-{i:05d}" for i in itertools.count())


def ids(client, query: str) -> list[int]:
    response = client.get(f"/api/inventory/products/?{query}")
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["results"]]


def make(make_product, name: str, **extra):
    return make_product(name=name, sku=next(_skus), **extra)


def test_every_word_must_start_a_word_of_the_name(admin_client, make_product):
    water = make(make_product, "Agua mineral Qhapaq 625 ml")
    juice = make(make_product, "Jugo Qhapaq de naranja")
    assert ids(admin_client, "search=qhapaq") == [water.pk, juice.pk]
    assert ids(admin_client, "search=min qhap") == [water.pk]  # prefixes, any order
    assert ids(admin_client, "search=QHAPAQ naranja") == [juice.pk]
    assert ids(admin_client, "search=hapaq") == []  # a word's middle is not its start
    assert ids(admin_client, "search=qhapaq 625 zzz") == []


def test_accents_and_case_do_not_matter(admin_client, make_product):
    sugar = make(make_product, "Azúcar rubia Wiñay 1 kg")
    assert ids(admin_client, "search=azucar wiñay") == [sugar.pk]
    assert ids(admin_client, "search=AZÚCAR WINAY") == [sugar.pk]


def test_a_renamed_product_is_found_by_its_new_name_only(admin_client, make_product):
    product = make(make_product, "Galletas Kallpa vainilla")
    services.product_update(product_id=product.pk, name="Galletas Kallpa chocolate")
    assert ids(admin_client, "search=kallpa choco") == [product.pk]
    assert ids(admin_client, "search=kallpa vainilla") == []
    assert set(ProductWord.objects.filter(product=product).values_list("word", flat=True)) == {
        "galletas", "kallpa", "chocolate"}


def test_search_keeps_the_lists_filters_and_pages(admin_client, make_product):
    group = category_create(name="Buscar Sumaq")
    inside = [make(make_product, f"Sumaq tostadas {n}", category=group) for n in range(5)]
    make(make_product, "Sumaq tostadas fuera")
    make(make_product, "Sumaq tostadas inactivas", category=group, is_active=False)
    url = f"search=sumaq tost&category={group.pk}&is_active=true&page_size=2"
    first = admin_client.get(f"/api/inventory/products/?{url}").json()
    second = admin_client.get(first["next"]).json()
    third = admin_client.get(second["next"]).json()
    seen = [p["id"] for page in (first, second, third) for p in page["results"]]
    assert seen == [p.pk for p in inside] and third["next"] is None
    back = admin_client.get(third["previous"]).json()
    assert [p["id"] for p in back["results"]] == [inside[2].pk, inside[3].pk]


def test_codes_are_searched_only_for_a_term_that_could_start_one(admin_client, make_product):
    coded = make_product(name="Fideos Tika 500 g", sku="TK-500/A", barcode="7750001")
    named = make(make_product, "Tk Tika fideos")
    assert ids(admin_client, "search=tk-500") == [coded.pk]  # SKU prefix
    assert ids(admin_client, "search=775000") == [coded.pk]  # barcode prefix
    assert ids(admin_client, "search=tika fideos") == [coded.pk, named.pk]  # words: no code has a space
    # a term with a space is no code's start: only the name is looked at
    assert search_conditions("tika fideos") == [NameWords(("tika", "fideos"))]


def test_the_admin_refuses_a_code_the_api_would_refuse(make_product):
    product = make(make_product, "Chicha morada Inti")
    product.sku = "SKU WITH SPACES"
    with pytest.raises(ValidationError) as refused:
        product.full_clean()
    assert "sku" in refused.value.message_dict
